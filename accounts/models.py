from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from mesa_cs.lib.audit import audited
from mesa_cs.lib.luhn import luhn_is_valid


def validate_account_number(value: str) -> None:
    if not (len(value) == 10 and luhn_is_valid(value)):
        raise ValidationError(
            "An account number is 10 digits, the last a check digit.", code="account_number"
        )


@audited()
class Account(models.Model):
    class Kind(models.TextChoices):
        UTILITY = "utility", "Utility"
        ALARM = "alarm", "Alarm permit"

    class CustomerClass(models.TextChoices):
        RESIDENTIAL = "residential", "Residential"
        COMMERCIAL = "commercial", "Commercial"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACTIVE = "active", "Active"
        FINAL = "final", "Final billed"
        CLOSED = "closed", "Closed"

    number = models.CharField(max_length=10, unique=True, validators=[validate_account_number])
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.UTILITY)
    customer_class = models.CharField(
        max_length=12, choices=CustomerClass, default=CustomerClass.RESIDENTIAL
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    name = models.CharField(max_length=200, help_text="Name printed on bills")
    opened_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^[0-9]{10}$"), name="account_number_10_digits"
            )
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("accounts:detail", args=[self.number])

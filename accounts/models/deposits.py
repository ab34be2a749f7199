from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models.customers import Account
from accounts.models.ledger import JournalEntry
from mesa_cs.lib.audit import audited


@audited()
class Deposit(models.Model):
    """A deposit the City asked for: cash on the ledger's customer-deposits
    account (billed whole or in installments), or a utility bond in its place.
    What is held is computed from the ledger; this row says why it was asked
    for and what became of it."""

    class Form(models.TextChoices):
        CASH = "cash", "Cash deposit"
        BOND = "bond", "Utility bond"

    class Status(models.TextChoices):
        OPEN = "open", "Held"
        CREDITED = "credited", "Credited after good payment history"
        REFUNDED = "refunded", "Refunded"
        APPLIED = "applied", "Applied to the final bill"
        RELEASED = "released", "Bond released"

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="deposits")
    form = models.CharField(max_length=5, choices=Form, default=Form.CASH)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    installments = models.PositiveSmallIntegerField(default=1)
    reason = models.CharField(max_length=300)
    required_on = models.DateField(default=timezone.localdate)
    bond_reference = models.CharField("bond number", max_length=60, blank=True)
    bond_expires_on = models.DateField("bond expires", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    released_on = models.DateField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    release_entry = models.ForeignKey(
        JournalEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-required_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="deposit_amount_positive"),
            models.CheckConstraint(
                condition=Q(installments__gte=1, installments__lte=6),
                name="deposit_installments_1_to_6",
            ),
            models.CheckConstraint(
                condition=Q(form="cash") | ~Q(bond_reference=""), name="deposit_bond_has_number"
            ),
        ]
        indexes = [models.Index(fields=["status", "required_on"], name="deposit_status_idx")]

    def __str__(self):
        return f"{self.get_form_display()} {self.amount} on {self.account_id}"

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models.customers import Account
from accounts.models.premises import MeterRead, Premise, ServiceAgreement, ServicePoint
from mesa_cs.lib.audit import audited


@audited()
class FieldActivity(models.Model):
    """Work for a field crew at a premise: an order, then its completion."""

    class Kind(models.TextChoices):
        CONNECT = "connect", "Connect (turn on)"
        DISCONNECT = "disconnect", "Disconnect for non-payment"
        RECONNECT = "reconnect", "Reconnect"
        FINAL_READ = "final_read", "Final read (stop service)"
        READ = "read", "Read"
        REREAD = "reread", "Re-read"
        METER_TEST = "meter_test", "Meter test"
        METER_EXCHANGE = "meter_exchange", "Meter exchange"
        HIGH_BILL = "high_bill", "High-bill investigation"
        DOOR_HANGER = "door_hanger", "Door-hanger delivery"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=16, choices=Kind)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="field_activities")
    premise = models.ForeignKey(Premise, on_delete=models.PROTECT, related_name="field_activities")
    service_point = models.ForeignKey(
        ServicePoint,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="field_activities",
    )
    agreement = models.ForeignKey(
        ServiceAgreement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="field_activities",
    )
    scheduled_on = models.DateField()
    same_day = models.BooleanField(default=False, help_text="Same-day or after-hours work")
    area = models.CharField(max_length=20, blank=True, help_text="Dispatch area (the premise's)")
    notes = models.TextField(blank=True)
    source_key = models.CharField(max_length=120, blank=True)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ordered_at = models.DateTimeField(default=timezone.now)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completion_notes = models.TextField(blank=True)
    outcome = models.CharField(max_length=120, blank=True, help_text="e.g. a meter test's result")
    meter_error_percent = models.DecimalField(
        "meter error (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="A meter test's registration error: positive when the meter runs fast",
    )
    read = models.ForeignKey(
        MeterRead, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removal_read = models.ForeignKey(
        MeterRead,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Meter exchange: the old meter's last register",
    )

    class Meta:
        verbose_name_plural = "field activities"
        ordering = ["scheduled_on", "area", "pk"]
        indexes = [
            models.Index(
                fields=["scheduled_on", "area", "status"], name="fieldactivity_dispatch_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_key"],
                condition=~Q(source_key="") & Q(status="pending"),
                name="fieldactivity_one_pending_per_source",
            ),
            models.CheckConstraint(
                condition=Q(status="completed", completed_on__isnull=False)
                | ~Q(status="completed"),
                name="fieldactivity_completed_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.premise} on {self.scheduled_on}"

    @property
    def utility_label(self) -> str:
        """The utility the crew works on ("Water"), from the service or the
        meter's place; empty for work on the premise as a whole."""
        if self.agreement_id:
            return self.agreement.get_utility_display()
        if self.service_point_id:
            return self.service_point.get_utility_display()
        return ""

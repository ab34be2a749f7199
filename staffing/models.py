from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from mesa_cs.lib.audit import audited


class Section(models.TextChoices):
    """The five sections Customer Service Supervisors run."""

    BUSINESS_OFFICE = "business_office", "Business Office"
    CONTACT_CENTER = "contact_center", "Contact Center"
    ACCOUNT_MAINTENANCE = "account_maintenance", "Account Maintenance & Billing"
    CREDIT = "credit", "Credit Services"
    SOLID_WASTE = "solid_waste", "Solid Waste Customer Service"


@audited()
class WorkItem(models.Model):
    """A piece of work handed to people: a read exception, a bill-run error, a
    suspense payment, a dispute. Opened and closed only through services."""

    class Priority(models.IntegerChoices):
        LOW = 1, "Low"
        NORMAL = 2, "Normal"
        HIGH = 3, "High"
        URGENT = 4, "Urgent"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    kind = models.CharField(max_length=64, help_text="What raised it, e.g. read_exception")
    section = models.CharField(max_length=32, choices=Section)
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority, default=Priority.NORMAL)
    due_on = models.DateField(null=True, blank=True)
    account = models.ForeignKey(
        "accounts.Account",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_items",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_work_items",
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.OPEN)
    outcome = models.CharField(max_length=200, blank=True)
    # Names the record that raised the item, so a batch job run twice opens it once.
    source_key = models.CharField(max_length=200, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opened_work_items",
        help_text="Empty when the system opened it",
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closed_work_items",
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-priority", "due_on", "opened_at"]
        indexes = [
            models.Index(fields=["section", "status", "-priority"], name="workitem_queue_idx"),
            models.Index(fields=["account", "status"], name="workitem_account_idx"),
            models.Index(fields=["assignee", "status"], name="workitem_assignee_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_key"],
                condition=~models.Q(source_key="") & ~models.Q(status="closed"),
                name="workitem_one_open_per_source",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="closed", closed_at__isnull=False) & ~models.Q(outcome="")
                )
                | (~models.Q(status="closed") & models.Q(closed_at__isnull=True)),
                name="workitem_closed_has_outcome",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self):
        return reverse("staffing:work_item", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_overdue(self) -> bool:
        return not self.is_closed and self.due_on is not None and self.due_on < timezone.localdate()


class WorkItemNote(models.Model):
    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Note on #{self.item_id} by {self.author}"

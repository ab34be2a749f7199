from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import Utility
from mesa_cs.lib.audit import audited
from mesa_cs.lib.formatting import day_text


class RateBookMeta(models.Model):
    """Book-wide settings of the rate book: seasons and meter sizes (one row)."""

    seasons = models.JSONField(default=dict, help_text='e.g. {"summer": [5, 6, 7, 8, 9, 10]}')
    meter_sizes = models.JSONField(default=list)
    timezone = models.CharField(max_length=40, default="America/Phoenix")

    class Meta:
        verbose_name = "rate book settings"
        verbose_name_plural = "rate book settings"

    def __str__(self):
        return "Rate book settings"


@audited()
class RateSchedule(models.Model):
    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=100)
    utility = models.CharField(max_length=12, choices=Utility)
    customer_class = models.CharField(max_length=12, blank=True)
    unit = models.CharField(max_length=12, blank=True)
    default_winter_average = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("billing:rate_schedule", args=[self.code])


@audited()
class RateVersion(models.Model):
    """One effective-dated set of a schedule's components. A draft, started in
    the rate editor, prices nothing (the engine never sees it) until it is put
    in force (docs/rate_editor.md)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_FORCE = "in_force", "In force"

    schedule = models.ForeignKey(RateSchedule, on_delete=models.PROTECT, related_name="versions")
    effective = models.DateField()
    loaded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=Status, default=Status.IN_FORCE, db_default=Status.IN_FORCE
    )
    started_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    put_in_force_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    put_in_force_at = models.DateTimeField(null=True, blank=True)
    # Set when an approved rate scenario created it (docs/rate_modelling.md).
    scenario = models.ForeignKey(
        "RateScenario", null=True, blank=True, on_delete=models.PROTECT, related_name="versions"
    )

    class Meta:
        ordering = ["schedule", "effective"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "effective"], name="rateversion_one_per_day"
            ),
            # One draft at a time per schedule: the editor opens it, never a second.
            models.UniqueConstraint(
                fields=["schedule"],
                condition=models.Q(status="draft"),
                name="rateversion_one_draft_per_schedule",
            ),
        ]

    def __str__(self):
        draft = " (draft)" if self.status == self.Status.DRAFT else ""
        return f"{self.schedule.code} from {self.effective}{draft}"

    def get_absolute_url(self):
        return reverse("billing:rate_version", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


@audited()
class RateComponent(models.Model):
    """One component of a version, kept as its mesa-ratebook/1 mapping
    (decimals as strings), so what is loaded is exactly what is exported."""

    version = models.ForeignKey(RateVersion, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField()
    type = models.CharField(max_length=16)
    name = models.CharField(max_length=100)
    spec = models.JSONField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="ratecomponent_position")
        ]

    def __str__(self):
        return f"{self.name} ({self.type})"


@audited()
class RateScenario(models.Model):
    """A proposed rate change modelled against a year of billing
    (docs/rate_modelling.md). Its result is computed when it is saved and
    kept, so a scenario compared or exported later shows what was modelled."""

    name = models.CharField(max_length=100)
    note = models.CharField(max_length=300, blank=True)
    effective = models.DateField(help_text="The day the proposed prices would take effect")
    year_start = models.DateField(help_text="The first bill-period end of the year modelled")
    year_end = models.DateField(help_text="The last bill-period end of the year modelled")

    class Status(models.TextChoices):
        MODELLED = "modelled", "Modelled"
        REQUESTED = "requested", "Waiting for approval"
        APPLIED = "applied", "Approved and applied"
        DECLINED = "declined", "Declined"

    result = models.JSONField(default=dict)
    created_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Applying it is a supervisor's decision in the approvals inbox.
    status = models.CharField(
        max_length=10, choices=Status, default=Status.MODELLED, db_default=Status.MODELLED
    )
    requested_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    request_note = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="modelled")
                | models.Q(requested_by__isnull=False, requested_at__isnull=False),
                name="ratescenario_request_names_who",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["applied", "declined"])
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="ratescenario_decision_names_who",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("billing:rate_model", args=[self.pk])


class RateScenarioChange(models.Model):
    """One line of a scenario: a percent on a schedule's prices (all of them,
    one component's, or one meter size's or service code's), or a new price
    for one component (and key)."""

    scenario = models.ForeignKey(RateScenario, on_delete=models.CASCADE, related_name="changes")
    position = models.PositiveSmallIntegerField()
    schedule = models.CharField(max_length=12)
    component = models.CharField(max_length=100, blank=True, help_text="Blank: every price")
    key = models.CharField(max_length=10, blank=True, help_text="A meter size or service code")
    percent = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    new_price = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["scenario", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__isnull=True) ^ models.Q(new_price__isnull=True),
                name="ratescenariochange_percent_or_price",
            ),
        ]

    def __str__(self):
        what = f"{self.percent} %" if self.percent is not None else f"{self.new_price}"
        return f"{self.schedule} {self.component or 'all prices'} {self.key} {what}".strip()


@audited()
class SpecialRateCode(models.Model):
    """A solid-waste rate schedule EMS made for one special billing situation
    (an HOA contract, a multi-family complex, a City facility): its own
    RateSchedule, started from a base schedule's current version, priced by
    the same engine (docs/special_rate_codes.md)."""

    class Kind(models.TextChoices):
        HOA = "hoa", "HOA contract"
        MULTI_FAMILY = "multi_family", "Multi-family complex"
        CITY_FACILITY = "city", "City facility"
        OTHER = "other", "Other"

    schedule = models.OneToOneField(
        RateSchedule, on_delete=models.PROTECT, related_name="special_code"
    )
    based_on = models.ForeignKey(RateSchedule, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind)
    reason = models.CharField(max_length=300)
    effective = models.DateField(help_text="The first day the code prices service")
    created_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["schedule__code"]

    def __str__(self):
        return f"{self.schedule.code} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return reverse("billing:special_code", args=[self.schedule.code])


class BillCycle(models.Model):
    """One of the 20 monthly read cycles (one per working day)."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"Cycle {self.number}"


class CycleDate(models.Model):
    """The yearly schedule: when each cycle is read and billed each month."""

    cycle = models.ForeignKey(BillCycle, on_delete=models.CASCADE, related_name="dates")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    read_on = models.DateField()
    bill_on = models.DateField()

    class Meta:
        ordering = ["year", "month", "cycle"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "year", "month"], name="cycledate_once_a_month"
            ),
            models.CheckConstraint(
                condition=models.Q(bill_on__gte=models.F("read_on")),
                name="cycledate_bill_after_read",
            ),
        ]

    def __str__(self):
        return (
            f"{self.cycle} {self.year}-{self.month:02d}: read {self.read_on}, bill {self.bill_on}"
        )


class HeatContentFactor(models.Model):
    """Therms per CCF of gas, by month, maintained by billing staff."""

    month = models.DateField(unique=True, help_text="First day of the month it applies to")
    factor = models.DecimalField(max_digits=6, decimal_places=4)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(condition=models.Q(factor__gt=0), name="heatfactor_positive"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.factor}"


class BillRun(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    cycle = models.ForeignKey(
        BillCycle, null=True, blank=True, on_delete=models.PROTECT, help_text="Empty: all cycles"
    )
    bill_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    billed = models.PositiveIntegerField(default=0)
    exceptions = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.CharField(max_length=200, blank=True)
    # When the watchdog last set a worker on the run: while that worker may
    # still be waiting in a busy queue, it sets no other.
    drain_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Starting the same run twice gives one run.
            models.UniqueConstraint(
                fields=["cycle", "bill_on"],
                name="billrun_once_per_cycle_and_date",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        which = f"cycle {self.cycle.number}" if self.cycle_id else "all cycles"
        return f"Bill run {day_text(self.bill_on)} ({which})"

    @property
    def percent(self) -> int:
        return (
            int(self.done * 100 / self.total)
            if self.total
            else (100 if self.status == "completed" else 0)
        )


class BillRunItem(models.Model):
    """One account of a run; workers claim items with a conditional UPDATE."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Claimed"
        BILLED = "billed", "Billed"
        EXCEPTION = "exception", "Exception"
        SKIPPED = "skipped", "Nothing to bill"

    run = models.ForeignKey(BillRun, on_delete=models.CASCADE, related_name="items")
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    # The worker's heartbeat refreshes claimed_at while it bills the item;
    # claimed_by names the worker so it refreshes only its own claims.
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=32, blank=True, db_default="")
    message = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "account"], name="billrunitem_once_per_run"),
        ]
        indexes = [models.Index(fields=["run", "status"], name="billrunitem_claim_idx")]

    def __str__(self):
        return f"{self.run} {self.account_id}: {self.status}"


class Bill(models.Model):
    """An issued bill. Never edited: a correction cancels it and issues a rebill."""

    class Status(models.TextChoices):
        ISSUED = "issued", "Issued"
        CANCELLED = "cancelled", "Cancelled"

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="bills")
    run = models.ForeignKey(
        BillRun, null=True, blank=True, on_delete=models.PROTECT, related_name="bills"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    bill_on = models.DateField()
    due_on = models.DateField()
    previous_balance = models.DecimalField(max_digits=12, decimal_places=2)
    payments = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="Credits since the last bill (negative)"
    )
    other_charges = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="Fees and adjustments since the last bill"
    )
    current_charges = models.DecimalField(max_digits=12, decimal_places=2)
    amount_due = models.DecimalField(max_digits=12, decimal_places=2)
    estimated = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.ISSUED)
    entry = models.OneToOneField(
        "accounts.JournalEntry", on_delete=models.PROTECT, related_name="bill"
    )
    rebill_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="rebill"
    )
    messages = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-bill_on", "-pk"]
        indexes = [models.Index(fields=["account", "-period_end"], name="bill_account_idx")]
        constraints = [
            # Exactly one issued bill per account and period, whatever workers do.
            models.UniqueConstraint(
                fields=["account", "period_end"],
                condition=models.Q(status="issued"),
                name="bill_one_issued_per_period",
            ),
        ]

    def __str__(self):
        return f"Bill {self.pk} for {self.account_id}, {self.period_start}–{self.period_end}"


class BillSegment(models.Model):
    """One service agreement's part of a bill."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="segments")
    service_agreement = models.ForeignKey(
        "accounts.ServiceAgreement", on_delete=models.PROTECT, related_name="bill_segments"
    )
    utility = models.CharField(max_length=12, choices=Utility)
    rate_schedule = models.CharField(max_length=12)
    start = models.DateField(help_text="Previous read date")
    end = models.DateField(help_text="This read date")
    usage = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    unit = models.CharField(max_length=12, blank=True)
    start_read = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    end_read = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    estimated = models.BooleanField(default=False)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    # What the segment was priced on besides its dates and usage, as the bill
    # engine was given it: rate modelling counts determinants from these
    # (BilledDeterminant), so a later change to the agreement or its meter
    # does not move an issued bill to another determinant.
    quantity = models.PositiveSmallIntegerField(default=1, help_text="Containers priced")
    service_code = models.CharField(max_length=10, blank=True, default="")
    meter_size = models.CharField(max_length=5, blank=True, default="")
    acres = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["bill", "utility"]

    def __str__(self):
        return f"{self.rate_schedule} {self.start}–{self.end}: {self.total}"


# What a BilledDeterminant row is one of: a schedule, an end day and the rest
# of a rate model Determinant.
BILLED_DETERMINANT_KEY = (
    "rate_schedule",
    "end",
    "days",
    "usage",
    "quantity",
    "service_code",
    "meter_size",
    "acres",
)


class BilledDeterminant(models.Model):
    """How many issued bill segments of a schedule ended on a day with the
    same determinants (docs/rate_modelling.md): the year of billing summed
    for rate modelling, so a scenario reads these rows instead of every
    segment. Kept set-wise by ``billing.services.bills`` as bills are issued
    and cancelled (``billed_determinants_count``); never edited by hand."""

    rate_schedule = models.CharField(max_length=12)
    end = models.DateField()
    days = models.IntegerField(help_text="end − start")
    usage = models.DecimalField(max_digits=12, decimal_places=2)
    quantity = models.PositiveSmallIntegerField()
    service_code = models.CharField(max_length=10, blank=True)
    meter_size = models.CharField(max_length=5, blank=True)
    acres = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    segments = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=list(BILLED_DETERMINANT_KEY),
                name="billed_determinant_key",
                nulls_distinct=False,
            ),
            # A cancellation takes away only what an issue added.
            models.CheckConstraint(
                condition=models.Q(segments__gte=0), name="billed_determinant_segments"
            ),
        ]

    def __str__(self):
        return f"{self.rate_schedule} {self.end} {self.usage}: {self.segments}"


class BillLine(models.Model):
    segment = models.ForeignKey(BillSegment, on_delete=models.PROTECT, related_name="lines")
    rate_version = models.ForeignKey(
        RateVersion, on_delete=models.PROTECT, related_name="bill_lines"
    )
    position = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=120)
    kind = models.CharField(max_length=16)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    explanation = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["segment", "position"]

    def __str__(self):
        return f"{self.description}: {self.amount}"


@audited()
class Adjustment(models.Model):
    """A credit or debit to an account with a reason. Above the approval
    threshold a second person approves it before it posts."""

    class Reason(models.TextChoices):
        METER_ERROR = "meter_error", "Meter or read error"
        BILLING_ERROR = "billing_error", "Billing error"
        LEAK = "leak", "Leak credit"
        FEE_WAIVER = "fee_waiver", "Fee waiver"
        CUSTOMER_SERVICE = "service", "Customer service"
        DEBIT = "debit", "Charge not billed"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        POSTED = "posted", "Posted"
        REJECTED = "rejected", "Rejected"

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, related_name="adjustments"
    )
    utility = models.CharField(max_length=12, choices=Utility, blank=True)
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="Negative is a credit to the customer"
    )
    reason = models.CharField(max_length=16, choices=Reason)
    note = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    requested_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    entry = models.OneToOneField(
        "accounts.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="adjustment_not_zero"),
            # Nobody approves (or rejects) their own adjustment.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("requested_by")),
                name="adjustment_second_person_decides",
            ),
        ]

    def __str__(self):
        return f"Adjustment {self.amount} on {self.account_id} ({self.get_status_display()})"


class ReadImport(models.Model):
    """A handheld/AMI read file as received, kept whatever happened to it,
    and how its import went (docs/meter_reads.md)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be imported"
        RUNNING = "running", "Importing"
        IMPORTED = "imported", "Imported"
        REJECTED = "rejected", "Rejected"

    original = models.FileField(upload_to="read-files/%Y/%m/")
    original_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    # Progress of the line check, for the page that polls a background import.
    lines_total = models.PositiveIntegerField(default=0)
    lines_checked = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return int(self.lines_checked * 100 / self.lines_total) if self.lines_total else 0


class ReadHold(models.Model):
    """Why a read is held for review, with the figures a billing specialist
    decides on, written when the read is held (docs/meter_reads.md)."""

    class Reason(models.TextChoices):
        HIGH = "high", "High"
        LOW = "low", "Low"
        ZERO = "zero", "Zero"
        ROLLOVER = "rollover", "Register went back (not a rollover)"

    read = models.OneToOneField("accounts.MeterRead", on_delete=models.PROTECT, related_name="hold")
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(
        max_length=10, choices=Reason, blank=True, help_text="Empty: held before reasons were kept"
    )
    detail = models.CharField(max_length=200)
    previous_register = models.DecimalField(max_digits=12, decimal_places=2)
    previous_on = models.DateField()
    usage = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Empty: went back"
    )
    days = models.PositiveIntegerField()
    average_daily = models.DecimalField(
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="Over the meter's reads of the last 12 months; empty without two of them",
    )
    reread = models.ForeignKey(
        "accounts.FieldActivity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The re-read ordered for the field crew",
    )
    reread_ordered_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reread_ordered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["read__read_on", "pk"]

    def __str__(self):
        return f"{self.read}: {self.get_reason_display()}"

    @property
    def daily_usage(self):
        return None if self.usage is None else self.usage / max(self.days, 1)

    @property
    def state(self) -> str:
        return "Re-read ordered" if self.reread_id else "Held"

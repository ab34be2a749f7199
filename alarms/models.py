"""The Alarm Permit Unit: alarm companies, permits and their responders, the
dispatch feed's incidents and the fees they assess, the invoices on the
holder's alarm account, appeals and suspensions. What a holder owes lives on
the shared ledger (the invoice's journal entry); these rows say why."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account, JournalEntry, Premise
from mesa_cs.lib.audit import audited

USER = settings.AUTH_USER_MODEL


class AlarmType(models.TextChoices):
    BURGLARY = "burglary", "Burglary"
    PANIC = "panic", "Panic"
    ROBBERY = "robbery", "Robbery"


class AlarmClass(models.TextChoices):
    """How false alarms are counted: burglary apart from panic and robbery."""

    BURGLARY = "burglary", "Burglary"
    PANIC_ROBBERY = "panic_robbery", "Panic or robbery"


@audited()
class AlarmCompany(models.Model):
    """An alarm monitoring company: who registers permits and answers calls."""

    name = models.CharField(max_length=120, unique=True)
    license_number = models.CharField("state license number", max_length=30, blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=10, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "alarm companies"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alarms:company", args=[self.pk])


# Registrations arrive by the thousand: their creation is kept with the
# import's file (AlarmFile), later changes in the audit trail.
@audited(inserts=False)
class AlarmPermit(models.Model):
    """One alarm permit: a holder's alarm at one premise, renewed yearly."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        SUSPENDED = "suspended", "Suspended"
        REVOKED = "revoked", "Revoked"

    number = models.CharField(max_length=9, unique=True)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="alarm_permits")
    holder_name = models.CharField(max_length=200)
    customer_class = models.CharField(
        "premise", max_length=12, choices=Account.CustomerClass, default="residential"
    )
    address = models.CharField("premise address", max_length=120)
    # Indexed once, in Meta, for equality and prefix look-ups alike.
    address_key = models.CharField(max_length=120, editable=False)
    city = models.CharField(max_length=40, default="Mesa")
    zip_code = models.CharField("ZIP code", max_length=5, blank=True)
    premise = models.ForeignKey(
        Premise,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alarm_permits",
        help_text="The utility premise at the same address, when there is one",
    )
    burglary = models.BooleanField(default=False)
    panic = models.BooleanField(default=False)
    robbery = models.BooleanField(default=False)
    alarm_company = models.ForeignKey(
        AlarmCompany, null=True, blank=True, on_delete=models.PROTECT, related_name="permits"
    )
    issued_on = models.DateField()
    expires_on = models.DateField(help_text="The last day of the current term")
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    status_since = models.DateField()
    status_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        indexes = [
            models.Index(fields=["status", "expires_on"], name="alarmpermit_status_idx"),
            models.Index(
                fields=["address_key"],
                opclasses=["varchar_pattern_ops"],
                name="alarmpermit_address_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(burglary=True) | Q(panic=True) | Q(robbery=True),
                name="alarmpermit_has_a_function",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")),
                name="alarmpermit_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(number__regex=r"^AP-[0-9]{6}$"), name="alarmpermit_number_shape"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.holder_name}"

    def get_absolute_url(self):
        return reverse("alarms:permit", args=[self.number])

    @property
    def functions(self) -> list[str]:
        return [name for name in ("burglary", "panic", "robbery") if getattr(self, name)]

    @property
    def functions_label(self) -> str:
        return ", ".join(AlarmType(name).label for name in self.functions)

    def active_on(self, day) -> bool:
        return self.status == self.Status.ACTIVE and self.issued_on <= day <= self.expires_on


class Responder(models.Model):
    """Someone the police may call to reach the premise (a keyholder)."""

    permit = models.ForeignKey(AlarmPermit, on_delete=models.CASCADE, related_name="responders")
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=10)

    class Meta:
        ordering = ["permit", "position"]

    def __str__(self):
        return self.name


class AlarmFile(models.Model):
    """A file given to an import, kept whatever became of it."""

    class Kind(models.TextChoices):
        FEED = "feed", "Dispatch feed"
        REGISTRATIONS = "registrations", "Permit registrations"

    kind = models.CharField(max_length=14, choices=Kind)
    filename = models.CharField(max_length=200)
    content = models.TextField()
    sha256 = models.CharField(max_length=64)
    summary = models.JSONField(default=dict)
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.filename}"


class Incident(models.Model):
    """One alarm call from the dispatch feed."""

    class MatchedBy(models.TextChoices):
        PERMIT_NUMBER = "permit_number", "Permit number"
        ADDRESS = "address", "Address"
        NONE = "none", "Not matched"
        RESEARCH = "research", "Researched by staff"

    class Research(models.TextChoices):
        NONE = "", "Not needed"
        OPEN = "open", "To research"
        DONE = "done", "Researched"

    incident_number = models.CharField(max_length=30, unique=True)
    reported_at = models.DateTimeField()
    reported_on = models.DateField(help_text="The Phoenix date of reported_at")
    address = models.CharField(max_length=120)
    address_key = models.CharField(max_length=120)  # indexed in Meta, as the permit's
    alarm_type = models.CharField(max_length=10, choices=AlarmType)
    disposition = models.CharField(
        max_length=10,
        choices=[("false", "False"), ("valid", "Valid"), ("cancelled", "Cancelled")],
    )
    permit_number_given = models.CharField(max_length=20, blank=True)
    permit = models.ForeignKey(
        AlarmPermit, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    matched_by = models.CharField(max_length=14, choices=MatchedBy)
    alarm_class = models.CharField(max_length=14, choices=AlarmClass)
    chargeable = models.BooleanField()
    # What false alarms are counted by: "p<permit id>" under an active
    # permit, else "a<address key>" (interchange_formats.md).
    count_key = models.CharField(max_length=130)
    count_in_window = models.PositiveIntegerField(null=True, blank=True)
    research = models.CharField(max_length=4, choices=Research, blank=True, default="")
    file = models.ForeignKey(AlarmFile, on_delete=models.PROTECT, related_name="incidents")
    line = models.PositiveIntegerField()

    class Meta:
        ordering = ["-reported_at"]
        indexes = [
            models.Index(
                fields=["count_key", "alarm_class", "reported_on"],
                condition=Q(chargeable=True),
                name="incident_window_idx",
            ),
            models.Index(fields=["reported_on"], name="incident_day_idx"),
            models.Index(
                fields=["address_key"],
                opclasses=["varchar_pattern_ops"],
                name="incident_address_idx",
            ),
            models.Index(
                fields=["reported_on"], condition=Q(research="open"), name="incident_research_idx"
            ),
        ]

    def __str__(self):
        return self.incident_number

    def get_absolute_url(self):
        return reverse("alarms:incident", args=[self.incident_number])


class AlarmInvoice(models.Model):
    """A bill on a holder's alarm account: a permit fee, a renewal, or a
    false alarm's fees. Its journal entry (none for a $0.00 notice) is the
    charge; waivers and reductions are new credit entries."""

    class Kind(models.TextChoices):
        PERMIT = "permit", "Permit fee"
        RENEWAL = "renewal", "Renewal fee"
        FALSE_ALARM = "false_alarm", "False alarm"

    number = models.CharField(max_length=10, unique=True)
    kind = models.CharField(max_length=12, choices=Kind)
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        related_name="alarm_invoices",
        db_index=False,  # alarminvoice_account_idx leads with it
    )
    permit = models.ForeignKey(
        AlarmPermit, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    incident = models.OneToOneField(
        Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice"
    )
    term_ends_on = models.DateField(
        null=True, blank=True, help_text="For a permit or renewal fee: the term it pays for ends"
    )
    issued_on = models.DateField()
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    entry = models.OneToOneField(
        JournalEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="alarm_invoice"
    )
    source_key = models.CharField(max_length=120, unique=True)
    file = models.ForeignKey(
        AlarmFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
        help_text="The import that made it, if one",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-number"]
        indexes = [models.Index(fields=["account", "-issued_on"], name="alarminvoice_account_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="alarminvoice_not_negative"),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("issued_on")), name="alarminvoice_due_after_issue"
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("alarms:invoice", args=[self.number])


class Assessment(models.Model):
    """A fee a chargeable incident assessed (interchange_formats.md): its
    false-alarm fee (even $0.00) and, with no active permit, the no-permit fee."""

    class FeeType(models.TextChoices):
        FALSE_ALARM = "false_alarm", "False alarm fee"
        NO_PERMIT = "no_permit", "No-permit assessment"

    class Status(models.TextChoices):
        BILLED = "billed", "Billed"
        RESEARCH = "research", "Awaiting research"
        REDUCED = "reduced", "Reduced on appeal"
        WAIVED = "waived", "Waived on appeal"
        CANCELLED = "cancelled", "Cancelled: a permit was active"

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="assessments")
    fee_type = models.CharField(max_length=12, choices=FeeType)
    alarm_class = models.CharField(max_length=14, choices=AlarmClass)
    count_in_window = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    invoice = models.ForeignKey(
        AlarmInvoice, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(max_length=10, choices=Status)

    class Meta:
        ordering = ["incident", "fee_type"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "fee_type"], name="assessment_one_per_fee"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="assessment_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_fee_type_display()} {self.amount} for {self.incident_id}"


@audited()
class Appeal(models.Model):
    """A holder's appeal of a false-alarm invoice; the fee is stayed while open."""

    class Status(models.TextChoices):
        FILED = "filed", "Filed"
        SCHEDULED = "scheduled", "Hearing scheduled"
        DECIDED = "decided", "Decided"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        REDUCED = "reduced", "Reduced"
        WAIVED = "waived", "Waived"

    invoice = models.ForeignKey(AlarmInvoice, on_delete=models.PROTECT, related_name="appeals")
    filed_on = models.DateField()
    grounds = models.TextField()
    status = models.CharField(max_length=10, choices=Status, default=Status.FILED)
    hearing_by = models.DateField()
    hearing_on = models.DateField(null=True, blank=True)
    hearing_time = models.TimeField(null=True, blank=True)
    hearing_place = models.CharField(max_length=120, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome, blank=True)
    amount_upheld = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="What stands after it"
    )
    decision_reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    credit_entry = models.OneToOneField(
        JournalEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="alarm_appeal"
    )
    filed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["hearing_by", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"], condition=~Q(status="decided"), name="appeal_one_open"
            ),
        ]

    def __str__(self):
        return f"Appeal of {self.invoice.number}"

    def get_absolute_url(self):
        return reverse("alarms:appeal", args=[self.pk])

    @property
    def open(self) -> bool:
        return self.status != self.Status.DECIDED


@audited()
class Suspension(models.Model):
    """A period a permit was suspended, and who reinstated it."""

    class Reason(models.TextChoices):
        BURGLARY_COUNT = "burglary_count", "10th burglary false alarm in 365 days"
        PAST_DUE = "past_due", "Alarm fees more than 90 days past due"

    permit = models.ForeignKey(AlarmPermit, on_delete=models.PROTECT, related_name="suspensions")
    reason = models.CharField(max_length=16, choices=Reason)
    started_on = models.DateField()
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)
    reinstated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reinstatement_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["permit"], condition=Q(ended_on__isnull=True), name="suspension_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.permit.number} suspended {self.started_on}"

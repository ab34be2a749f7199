"""Credit Services: collection ladders and their runs, holds, heat days,
payment arrangements, assistance pledges, bankruptcy, write-offs, agency
referrals and the collector's call log. Money owed lives on the ledger; these
rows say where an account stands and why."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Account, Contact
from mesa_cs.lib.audit import audited

USER = settings.AUTH_USER_MODEL


class CollectionLadder(models.Model):
    """The steps an unpaid account goes through, per customer class."""

    customer_class = models.CharField(max_length=12, choices=Account.CustomerClass, unique=True)
    name = models.CharField(max_length=80)
    active = models.BooleanField(default=True)

    def __str__(self):
        return self.name


class LadderStep(models.Model):
    class Action(models.TextChoices):
        REMINDER = "reminder", "Reminder"
        DISCONNECT_NOTICE = "notice", "Disconnect notice"
        DISCONNECT_ELIGIBLE = "eligible", "Eligible for disconnection"
        DISCONNECT_ORDER = "disconnect", "Disconnect order"
        FINAL_BILL_COLLECTION = "final_collection", "Final-bill collection"
        AGENCY_REFERRAL = "agency", "Collection agency referral"
        WRITE_OFF = "write_off", "Write-off"

    class Channel(models.TextChoices):
        LETTER = "letter", "Letter"
        EMAIL = "email", "E-mail"
        DOOR_HANGER = "door_hanger", "Letter and door hanger"
        FIELD = "field", "Field order"
        QUEUE = "queue", "Work queue"
        FILE = "file", "Agency file"

    ladder = models.ForeignKey(CollectionLadder, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=16, choices=Action)
    delay_days = models.PositiveSmallIntegerField(
        help_text="Days after the previous step (the first: after the bill's due date)"
    )
    channel = models.CharField(max_length=12, choices=Channel, default=Channel.LETTER)
    fee = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, help_text="Charged when the step is taken"
    )
    notice_text = models.TextField(
        blank=True, help_text="The notice's wording; {amount} and {date} are filled in"
    )
    notice_text_es = models.TextField(
        "notice text (Spanish)",
        blank=True,
        help_text="Sent to customers who prefer Spanish; blank sends the English to everyone",
    )

    class Meta:
        ordering = ["ladder", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "position"], name="ladder_step_position"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="ladder_step_fee_not_negative"),
        ]

    def __str__(self):
        return f"{self.ladder} {self.position}. {self.get_action_display()}"

    def clean(self):
        # The wording is filled with str.format: any other {field} would stop
        # the day's notice batch.
        errors = {}
        for field in ("notice_text", "notice_text_es"):
            try:
                getattr(self, field).format(amount="$0.00", date="January 1, 2026")
            except (KeyError, IndexError, ValueError):
                errors[field] = "Only {amount} and {date} may appear in braces."
        if errors:
            raise ValidationError(errors)


class CollectionRun(models.Model):
    """One day's advance of every ladder; a second run that day finds nothing."""

    run_on = models.DateField(unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-run_on"]

    def __str__(self):
        return f"Collections {self.run_on}"


class CollectionState(models.Model):
    """Where an account stands on its ladder (one row per account that has
    been past due)."""

    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, related_name="collection_state"
    )
    step = models.ForeignKey(LadderStep, null=True, blank=True, on_delete=models.PROTECT)
    step_on = models.DateField(null=True, blank=True)
    past_due = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    oldest_due_on = models.DateField(null=True, blank=True)
    held_by = models.CharField(max_length=40, blank=True, help_text="The hold that stopped it")
    updated_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["step", "step_on"], name="collection_state_step_idx")]

    def __str__(self):
        return f"{self.account_id} at {self.step or 'no step'}"


class CollectionEvent(models.Model):
    """A step taken on an account: its history. One per account per day."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="collection_events")
    run_on = models.DateField()
    step = models.ForeignKey(LadderStep, on_delete=models.PROTECT)
    past_due = models.DecimalField(max_digits=12, decimal_places=2)
    fee_entry = models.ForeignKey(
        "accounts.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        "NoticeBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )

    class Meta:
        ordering = ["-run_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "run_on"], name="collection_one_step_a_day")
        ]

    def __str__(self):
        return f"{self.account_id} {self.step} on {self.run_on}"


class NoticeBatch(models.Model):
    """The day's printed notices, one PDF for the mail house."""

    run_on = models.DateField()
    action = models.CharField(max_length=16, choices=LadderStep.Action)
    pdf = models.BinaryField(null=True, blank=True)
    notices = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-run_on", "action"]
        constraints = [
            models.UniqueConstraint(fields=["run_on", "action"], name="notice_batch_per_day")
        ]

    def __str__(self):
        return f"{self.get_action_display()} notices {self.run_on}"


@audited()
class Hold(models.Model):
    """Something that stops the ladder for an account until it ends."""

    class Kind(models.TextChoices):
        ARRANGEMENT = "arrangement", "Payment arrangement"
        PLEDGE = "pledge", "Assistance pledge pending"
        MEDICAL = "medical", "Medical certificate"
        BANKRUPTCY = "bankruptcy", "Bankruptcy stay"
        DISPUTE = "dispute", "Dispute under review"
        SUPERVISOR = "supervisor", "Supervisor hold"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="holds")
    kind = models.CharField(max_length=12, choices=Kind)
    reason = models.CharField(max_length=200)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(
        null=True, blank=True, help_text="Last day it holds; empty while its cause lasts"
    )
    released_on = models.DateField(null=True, blank=True)
    source_key = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["account", "released_on"], name="hold_account_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~Q(source_key="") & Q(released_on__isnull=True),
                name="hold_source_key_open_once",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="hold_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.account_id}"


class HeatDay(models.Model):
    """A day no one may be disconnected for heat (recorded by supervisors)."""

    class Kind(models.TextChoices):
        FORECAST = "forecast", "Forecast at or above 95 °F (no electric disconnection)"
        WARNING = "warning", "Excessive heat warning (no electric or water disconnection)"

    day = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind)
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["day", "kind"], name="heat_day_once")]

    def __str__(self):
        return f"{self.day} {self.get_kind_display()}"


@audited()
class PaymentArrangement(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        KEPT = "kept", "Kept (paid off)"
        BROKEN = "broken", "Broken"
        CANCELLED = "cancelled", "Cancelled"

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="arrangements")
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    made_on = models.DateField(default=timezone.localdate)
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text="The debt arranged")
    down_payment = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    months = models.PositiveSmallIntegerField()
    override_reason = models.CharField(
        max_length=200, blank=True, help_text="Why a supervisor allowed an ineligible account"
    )
    made_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-made_on", "-pk"]
        constraints = [
            # The most months is a setting (ARRANGEMENT_MAX_MONTHS), checked
            # by the service; the database only refuses nonsense.
            models.CheckConstraint(condition=Q(months__gte=1), name="arrangement_months_positive"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="arrangement_amount_positive"),
            models.UniqueConstraint(
                fields=["account"], condition=Q(status="active"), name="arrangement_one_active"
            ),
        ]

    def __str__(self):
        return f"Arrangement {self.amount} over {self.months} months on {self.account_id}"


@audited()
class ArrangementRequest(models.Model):
    """An arrangement for an account outside the policy, asked for by a
    representative and waiting for a supervisor in the approvals inbox. On
    approval the arrangement is made with these terms, the representative as
    its maker and the supervisor as its approver."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved, arrangement made"
        DECLINED = "declined", "Declined"

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="arrangement_requests"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text="The debt to arrange")
    down_payment = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    months = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=200, help_text="Why the policy should be overridden")
    channel = models.CharField(max_length=10, choices=Contact.Channel, default=Contact.Channel.CALL)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=200, blank=True)
    arrangement = models.OneToOneField(
        PaymentArrangement, null=True, blank=True, on_delete=models.PROTECT, related_name="request"
    )

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=Q(status="pending"), name="arrangement_one_request"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="arrangement_request_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="arrangement_request_second_person",
            ),
        ]

    def __str__(self):
        return (
            f"Arrangement request {self.amount} on {self.account_id} ({self.get_status_display()})"
        )


class ArrangementInstallment(models.Model):
    arrangement = models.ForeignKey(
        PaymentArrangement, on_delete=models.CASCADE, related_name="installments"
    )
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["arrangement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "number"], name="arrangement_installment_number"
            )
        ]

    def __str__(self):
        return f"Installment {self.number}: {self.amount} due {self.due_on}"


@audited()
class Pledge(models.Model):
    class Agency(models.TextChoices):
        MESACAN = "mesacan", "MesaCAN (A New Leaf)"
        LIHEAP = "liheap", "LIHEAP (Arizona DES)"
        LIHWAP = "lihwap", "LIHWAP (water)"
        OTHER = "other", "Other agency"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PAID = "paid", "Paid"
        EXPIRED = "expired", "Expired"
        CANCELLED = "cancelled", "Cancelled"

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="pledges")
    agency = models.CharField(max_length=10, choices=Agency)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    pledged_on = models.DateField(default=timezone.localdate)
    expires_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    reference = models.CharField("agency reference", max_length=40, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-pledged_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_amount_positive"),
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("pledged_on")), name="pledge_dates_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.get_agency_display()} pledge {self.amount} on {self.account_id}"


@audited()
class Bankruptcy(models.Model):
    class Chapter(models.IntegerChoices):
        SEVEN = 7, "Chapter 7"
        ELEVEN = 11, "Chapter 11"
        THIRTEEN = 13, "Chapter 13"

    class Status(models.TextChoices):
        OPEN = "open", "Stay in effect"
        DISCHARGED = "discharged", "Discharged"
        DISMISSED = "dismissed", "Dismissed"

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="bankruptcies")
    case_number = models.CharField(max_length=40)
    chapter = models.PositiveSmallIntegerField(choices=Chapter)
    court = models.CharField(max_length=120, default="U.S. Bankruptcy Court, District of Arizona")
    petition_on = models.DateField("petition date")
    pre_petition_balance = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-petition_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=Q(status="open"), name="bankruptcy_one_open"
            )
        ]

    def __str__(self):
        return f"{self.get_chapter_display()} case {self.case_number}"


@audited()
class WriteOff(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        POSTED = "posted", "Posted"
        REJECTED = "rejected", "Rejected"

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="write_offs")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    entry = models.OneToOneField(
        "accounts.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="write_off_amount_positive"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="write_off_second_approver",
            ),
        ]

    def __str__(self):
        return f"Write-off {self.amount} on {self.account_id}"


class AgencyReferral(models.Model):
    """A final-bill debt placed with the collection agency, with the
    itemisation a Regulation F validation notice needs."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="referrals")
    referred_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    itemisation = models.JSONField(default=dict)
    recalled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=Q(recalled_on__isnull=True), name="referral_one_open"
            )
        ]

    def __str__(self):
        return f"Referral {self.amount} of {self.account_id} on {self.referred_on}"


class CollectorCall(models.Model):
    """A collector's call attempt (Regulation F good practice: 8am–9pm local
    time, no more than 7 attempts in 7 days per debt)."""

    class Outcome(models.TextChoices):
        NO_ANSWER = "no_answer", "No answer"
        VOICEMAIL = "voicemail", "Left voicemail"
        PROMISE = "promise", "Promise to pay"
        ARRANGEMENT = "arrangement", "Arrangement made"
        REFUSED = "refused", "Refused to pay"
        WRONG_NUMBER = "wrong_number", "Wrong number"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="collector_calls")
    called_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=12, choices=Outcome)
    notes = models.TextField(blank=True)
    override_reason = models.CharField(max_length=200, blank=True)
    called_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-called_at"]
        indexes = [models.Index(fields=["account", "called_at"], name="collector_call_idx")]

    def __str__(self):
        return f"Call to {self.account_id} at {self.called_at:%Y-%m-%d %H:%M}"

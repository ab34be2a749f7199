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


class WorkItemPriority(models.IntegerChoices):
    LOW = 1, "Low"
    NORMAL = 2, "Normal"
    HIGH = 3, "High"
    URGENT = 4, "Urgent"


class Office(models.TextChoices):
    """Where staff work (docs/supervision.md)."""

    MAIN = "main", "Main office, 55 N Center St"
    EAST = "east", "East office, 6935 E Decatur St"
    FIELD = "field", "In the field"


@audited()
class Skill(models.Model):
    """What a person can take on beyond their section's work: cashiering,
    credit, Spanish, alarms... A work kind may require one."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


@audited()
class StaffProfile(models.Model):
    """A person on staff: their section, office, supervisor and skills. The
    role comes from the user's groups (mesa_cs.lib.roles)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    section = models.CharField(max_length=32, choices=Section)
    office = models.CharField(max_length=8, choices=Office, blank=True)
    title = models.CharField(max_length=80, blank=True, help_text="e.g. Customer Service Rep II")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_profiles",
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="staff")
    phone_agent_id = models.CharField(
        max_length=20, blank=True, help_text="The agent's login in the phone system"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone_agent_id"],
                condition=~models.Q(phone_agent_id=""),
                name="staffprofile_one_agent_id",
            ),
        ]

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()

    def get_absolute_url(self):
        return reverse("staffing:staff_member", args=[self.pk])


@audited()
class WorkKind(models.Model):
    """A kind of work item's service level, set by administrators: the
    section that owns it, its priority, how many working days it may take
    and the skill it needs (docs/work_items.md, "Service levels")."""

    kind = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100)
    section = models.CharField(
        max_length=32,
        choices=Section,
        blank=True,
        help_text="Blank: the section the raising app names (it differs item by item)",
    )
    priority = models.PositiveSmallIntegerField(
        choices=WorkItemPriority, default=WorkItemPriority.NORMAL
    )
    due_days = models.PositiveSmallIntegerField(
        default=3, help_text="Working days (Monday to Thursday) from opening to due"
    )
    skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.PROTECT, related_name="work_kinds"
    )

    class Meta:
        ordering = ["section", "label"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_days__lte=60), name="workkind_due_within_60_days"
            ),
        ]

    def __str__(self):
        return self.label


@audited()
class WorkItem(models.Model):
    """A piece of work handed to people: a read exception, a bill-run error, a
    suspense payment, a dispute. Opened and closed only through services."""

    Priority = WorkItemPriority

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
    # From its kind's service level when opened: who may pull it as "next".
    skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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
            # "Next item": the open, unassigned items of a section, best first,
            # in the pull's whole order (the id last), so it reads one entry.
            models.Index(
                "section",
                models.F("priority").desc(),
                "due_on",
                "opened_at",
                "id",
                name="workitem_next_idx",
                condition=models.Q(status="open", assignee__isnull=True),
            ),
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


@audited()
class Complaint(models.Model):
    """A customer's complaint, from any contact, worked to a written response
    and closed with its root cause; it escalates clerk → supervisor →
    administrator, each level with its deadline (docs/complaints.md)."""

    class Channel(models.TextChoices):
        CALL = "call", "Phone call"
        WALK_IN = "walk_in", "Walk-in"
        LETTER = "letter", "Letter"
        EMAIL = "email", "E-mail"
        COUNCIL = "council", "Referred by a council office"

    class Category(models.TextChoices):
        HIGH_BILL = "high_bill", "High bill"
        BILLING = "billing", "Billing error"
        COLLECTIONS = "collections", "Disconnection or collections"
        FIELD = "field", "Field service"
        SOLID_WASTE = "solid_waste", "Solid waste service"
        ALARM = "alarm", "Alarm permit or invoice"
        STAFF = "staff", "Staff conduct"
        OTHER = "other", "Other"

    class Level(models.IntegerChoices):
        CLERK = 1, "Clerk"
        SUPERVISOR = 2, "Supervisor"
        ADMINISTRATOR = 3, "Administrator"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESPONDED = "responded", "Response sent"
        CLOSED = "closed", "Closed"

    class RootCause(models.TextChoices):
        BILLING_ERROR = "billing_error", "Billing error"
        METER = "meter", "Meter or read"
        FIELD = "field", "Field work"
        STAFF = "staff", "Staff conduct or advice"
        POLICY = "policy", "City policy or ordinance"
        SYSTEM = "system", "System or process"
        UNDERSTANDING = "understanding", "Customer misunderstanding"
        OTHER = "other", "Other"

    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    customer_name = models.CharField(max_length=120, blank=True)
    channel = models.CharField(max_length=10, choices=Channel)
    category = models.CharField(max_length=16, choices=Category)
    description = models.TextField()
    level = models.PositiveSmallIntegerField(choices=Level, default=Level.CLERK)
    level_due_on = models.DateField(help_text="When the current level must have resolved it")
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    response_letter = models.ForeignKey(
        "accounts.Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response = models.TextField(blank=True)
    root_cause = models.CharField(max_length=16, choices=RootCause, blank=True)
    resolution = models.CharField(max_length=300, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-level", "level_due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | (~models.Q(root_cause="") & models.Q(closed_at__isnull=False)),
                name="complaint_closed_has_root_cause",
            ),
            models.CheckConstraint(
                condition=models.Q(account__isnull=False) | ~models.Q(customer_name=""),
                name="complaint_names_the_customer",
            ),
        ]

    def __str__(self):
        return f"Complaint #{self.pk}: {self.get_category_display()}"

    def get_absolute_url(self):
        return reverse("staffing:complaint", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status != self.Status.CLOSED and self.level_due_on < timezone.localdate()


class ComplaintStep(models.Model):
    """The investigation trail: what was found, each escalation, the
    response and the closing, in order, by whom."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Opened"
        NOTE = "note", "Investigation note"
        ESCALATED = "escalated", "Escalated"
        RESPONDED = "responded", "Response sent"
        CLOSED = "closed", "Closed"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=10, choices=Kind)
    text = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} on #{self.complaint_id}"


class SpotCheckSubject(models.TextChoices):
    WORK_ITEM = "work_item", "Closed work item"
    PAYMENT = "payment", "Payment"
    LETTER = "letter", "Letter"


@audited()
class SpotCheckQuestion(models.Model):
    """One line of a spot-check checklist, per kind of thing checked; kept
    in Django admin (docs/spot_checks.md)."""

    subject = models.CharField(max_length=10, choices=SpotCheckSubject)
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=200)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["subject", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "text"], name="spotcheckquestion_once")
        ]

    def __str__(self):
        return self.text


@audited()
class SpotCheck(models.Model):
    """A supervisor's check of one sampled piece of someone's work, scored
    on its checklist; the scores feed the staff's evaluations."""

    subject = models.CharField(max_length=10, choices=SpotCheckSubject)
    object_id = models.PositiveBigIntegerField()
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spot_checks"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)
    score = models.DecimalField(
        max_digits=5, decimal_places=2, help_text="Percent of the checklist met"
    )
    comment = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "object_id"], name="spotcheck_once"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="spotcheck_score_percent"
            ),
        ]

    def __str__(self):
        return f"{self.get_subject_display()} #{self.object_id}: {self.score} %"


class SpotCheckAnswer(models.Model):
    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SpotCheckQuestion, on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["spot_check", "question"], name="spotcheckanswer_once")
        ]

    def __str__(self):
        return f"{self.question}: {'yes' if self.passed else 'no'}"


# --- Contact-center service levels (docs/contact_center.md) -------------------

INTERVAL_SECONDS = 15 * 60


class IntervalFile(models.Model):
    """A phone system's interval file given to the import, kept whatever
    became of it; a file already imported (same sha256) is not read again."""

    filename = models.CharField(max_length=200)
    content = models.TextField()
    sha256 = models.CharField(max_length=64, db_index=True)
    summary = models.JSONField(default=dict)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.filename


# Rows arrive by the ten thousand from the phone system and are never
# edited: the kept file is their record, so they are not audited.
class CallInterval(models.Model):
    """One 15-minute interval of one phone queue: the queue's total row
    (``agent_id`` blank) or one agent's share of it. Seconds are those spent
    in the interval; the delay is the answered calls' total wait."""

    starts_at = models.DateTimeField()
    queue = models.CharField(max_length=32)
    agent_id = models.CharField(max_length=20, blank=True)
    offered = models.PositiveIntegerField()
    answered = models.PositiveIntegerField()
    abandoned = models.PositiveIntegerField()
    answered_in_target = models.PositiveIntegerField(help_text="Answered within 20 seconds")
    answer_delay_seconds = models.PositiveIntegerField()
    talk_seconds = models.PositiveIntegerField()
    hold_seconds = models.PositiveIntegerField()
    after_call_seconds = models.PositiveIntegerField()
    staffed_seconds = models.PositiveIntegerField(null=True, blank=True)
    file = models.ForeignKey(IntervalFile, on_delete=models.PROTECT, related_name="intervals")

    class Meta:
        ordering = ["starts_at", "queue", "agent_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["starts_at", "queue", "agent_id"], name="callinterval_one_row"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    answered__lte=models.F("offered") - models.F("abandoned"),
                    answered_in_target__lte=models.F("answered"),
                ),
                name="callinterval_calls_add_up",
            ),
            models.CheckConstraint(
                condition=models.Q(agent_id="", staffed_seconds__isnull=True)
                | (
                    ~models.Q(agent_id="")
                    & models.Q(
                        staffed_seconds__lte=INTERVAL_SECONDS,
                        staffed_seconds__gte=models.F("talk_seconds")
                        + models.F("hold_seconds")
                        + models.F("after_call_seconds"),
                    )
                ),
                name="callinterval_agent_staffed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["agent_id", "starts_at"],
                condition=~models.Q(agent_id=""),
                name="callinterval_agent_idx",
            ),
        ]

    def __str__(self):
        who = f" agent {self.agent_id}" if self.agent_id else ""
        return f"{self.queue}{who} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Concat, Lower, Trim
from django.urls import reverse
from django.utils import timezone

from accounts.models.common import dates_in_order
from accounts.validators import validate_account_number, validate_phone, validate_zip
from mesa_cs.lib.audit import audited
from mesa_cs.lib.states import STATE_CHOICES


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"
    OTHER = "other", "Other (interpreter)"


@audited()
class Person(models.Model):
    """A customer: an individual or a business. Identity is kept only as the
    last 4 digits of the document shown; the full number never enters."""

    class IdType(models.TextChoices):
        SSN = "ssn", "Social Security number"
        ITIN = "itin", "ITIN"
        DRIVERS_LICENSE = "dl", "Driver license"
        STATE_ID = "state_id", "State ID"
        PASSPORT = "passport", "Passport"
        EIN = "ein", "Employer ID (business)"

    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    business_name = models.CharField(max_length=200, blank=True)
    full_name = models.GeneratedField(
        expression=Trim(
            Concat(
                "business_name",
                models.Value(" "),
                "first_name",
                models.Value(" "),
                "last_name",
            )
        ),
        output_field=models.CharField(max_length=362),
        db_persist=True,
    )
    phone = models.CharField(max_length=10, blank=True, validators=[validate_phone])
    alt_phone = models.CharField(max_length=10, blank=True, validators=[validate_phone])
    email = models.EmailField(blank=True)
    mailing_line1 = models.CharField("mailing address", max_length=120, blank=True)
    mailing_line2 = models.CharField("mailing address line 2", max_length=120, blank=True)
    mailing_city = models.CharField(max_length=60, blank=True)
    mailing_state = models.CharField(max_length=2, blank=True, choices=STATE_CHOICES)
    mailing_zip = models.CharField(max_length=10, blank=True, validators=[validate_zip])
    preferred_language = models.CharField(max_length=5, choices=Language, default=Language.ENGLISH)
    id_type = models.CharField("identity document", max_length=10, choices=IdType, blank=True)
    id_last4 = models.CharField(
        "identity, last 4 digits",
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", "Enter exactly the last 4 digits.")],
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["last_name", "first_name", "business_name"]
        indexes = [
            GinIndex(fields=["full_name"], opclasses=["gin_trgm_ops"], name="person_name_trgm"),
            # The misspelt-surname search (accounts/selectors/search.py) skips
            # through these from one distinct surname to the next: by how the
            # surname sounds (either Double Metaphone key, then the surname),
            # and by its lower-case spelling (prefix scans, and the people of
            # a surname).
            models.Index(
                models.Func("last_name", function="dmetaphone"),
                Lower("last_name"),
                name="person_sound_surname",
            ),
            models.Index(
                models.Func("last_name", function="dmetaphone_alt"),
                Lower("last_name"),
                name="person_sound_alt_surname",
            ),
            models.Index(
                OpClass(Lower("last_name"), name="text_pattern_ops"), name="person_surname_lower"
            ),
            models.Index(fields=["phone"], name="person_phone_idx"),
            models.Index(fields=["alt_phone"], name="person_alt_phone_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(business_name="")
                | (~models.Q(first_name="") & ~models.Q(last_name="")),
                name="person_has_a_name",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.business_name:
            return self.business_name
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def masked_id(self) -> str:
        return f"{self.get_id_type_display()} ···{self.id_last4}" if self.id_last4 else ""


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
    bill_cycle = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    persons = models.ManyToManyField(Person, through="AccountPerson", related_name="accounts")

    class Meta:
        ordering = ["number"]
        indexes = [
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="account_name_trgm"),
            # Prefix searches by number use the unique field's own
            # varchar_pattern_ops index (Django makes one for a unique
            # CharField); a second one only cost every insert.
            models.Index(fields=["bill_cycle", "status"], name="account_cycle_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^[0-9]{10}$"), name="account_number_10_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(bill_cycle__isnull=True)
                | models.Q(bill_cycle__gte=1, bill_cycle__lte=20),
                name="account_bill_cycle_1_20",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("accounts:detail", args=[self.number])


@audited()
class AccountPerson(models.Model):
    class Role(models.TextChoices):
        MAIN = "main", "Main customer"
        CO_APPLICANT = "co_applicant", "Co-applicant"
        LANDLORD = "landlord", "Landlord (bill copy)"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="links")
    role = models.CharField(max_length=15, choices=Role, default=Role.MAIN)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "account holder"
        indexes = [models.Index(fields=["person", "account"], name="accountperson_person_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(role="main", ends_on__isnull=True),
                name="account_one_current_main_customer",
            ),
            dates_in_order("accountperson_dates_in_order"),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}) on {self.account.number}"


@audited()
class AccountFlag(models.Model):
    """A dated condition on an account, e.g. certified funds only for 12 months."""

    class Kind(models.TextChoices):
        CERTIFIED_FUNDS_ONLY = "certified_funds", "Certified funds only"
        DO_NOT_DISCONNECT = "no_disconnect", "Do not disconnect"
        MEDICAL_CERTIFICATE = "medical", "Medical certificate on file"
        BANKRUPTCY = "bankruptcy", "Bankruptcy"
        DISPUTE = "dispute", "Dispute under review"
        LANGUAGE_ASSISTANCE = "language", "Needs language assistance"
        DECEASED = "deceased", "Customer deceased"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=20, choices=Kind)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["account", "kind"], name="accountflag_account_idx")]
        constraints = [
            dates_in_order("accountflag_dates_in_order"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.account.number}"


@audited()
class Contact(models.Model):
    """One conversation or letter with the customer, kept in the contact log."""

    class Channel(models.TextChoices):
        CALL = "call", "Phone call"
        WALK_IN = "walk_in", "Walk-in"
        LETTER = "letter", "Letter"
        EMAIL = "email", "E-mail"

    class Topic(models.TextChoices):
        BILLING = "billing", "Bill question"
        PAYMENT = "payment", "Payment"
        START_STOP = "start_stop", "Start, stop or transfer"
        COLLECTIONS = "collections", "Collections"
        ARRANGEMENT = "arrangement", "Payment arrangement"
        SERVICE_ORDER = "service_order", "Field service"
        SOLID_WASTE = "solid_waste", "Solid waste"
        ALARM = "alarm", "Alarm permit"
        ASSISTANCE = "assistance", "Assistance program"
        COMPLAINT = "complaint", "Complaint"
        # What a flow mailed by itself (a welcome, a deposit's, a final
        # bill's letter): nobody asked, so it is no conversation's topic.
        AUTOMATIC_LETTER = "letter", "Automatic letter"
        OTHER = "other", "Other"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    channel = models.CharField(max_length=10, choices=Channel)
    topic = models.CharField(max_length=20, choices=Topic)
    notes = models.TextField()
    follow_up_on = models.DateField("follow-up date", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["account", "-created_at"], name="contact_account_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} about {self.get_topic_display()}"


@audited()
class AccountNote(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    pinned = models.BooleanField(default=False, help_text="Shown at the top of the account")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pinned", "-created_at"]
        indexes = [models.Index(fields=["account", "-created_at"], name="accountnote_account_idx")]

    def __str__(self):
        return f"Note on {self.account.number}"

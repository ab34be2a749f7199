from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models.customers import Account, Contact
from accounts.rules import letter_texts
from mesa_cs.lib.audit import audited


@audited()
class LetterTemplate(models.Model):
    """The wording of one kind of letter, with ``{{ field }}`` merge fields
    from that kind's whitelist (accounts/rules/letter_texts.py)."""

    class Kind(models.TextChoices):
        WELCOME = letter_texts.WELCOME, letter_texts.KIND_LABELS[letter_texts.WELCOME]
        DEPOSIT_REQUIRED = (
            letter_texts.DEPOSIT_REQUIRED,
            letter_texts.KIND_LABELS[letter_texts.DEPOSIT_REQUIRED],
        )
        DEPOSIT_REFUND = (
            letter_texts.DEPOSIT_REFUND,
            letter_texts.KIND_LABELS[letter_texts.DEPOSIT_REFUND],
        )
        FINAL_BILL = letter_texts.FINAL_BILL, letter_texts.KIND_LABELS[letter_texts.FINAL_BILL]
        GENERAL = letter_texts.GENERAL, letter_texts.KIND_LABELS[letter_texts.GENERAL]
        # The Police Department's Alarm Permit Unit (docs/letters.md).
        ALARM_PERMIT_ISSUED = (
            letter_texts.ALARM_PERMIT_ISSUED,
            letter_texts.KIND_LABELS[letter_texts.ALARM_PERMIT_ISSUED],
        )
        ALARM_RENEWAL = (
            letter_texts.ALARM_RENEWAL,
            letter_texts.KIND_LABELS[letter_texts.ALARM_RENEWAL],
        )
        ALARM_FALSE_ALARM = (
            letter_texts.ALARM_FALSE_ALARM,
            letter_texts.KIND_LABELS[letter_texts.ALARM_FALSE_ALARM],
        )
        ALARM_SUSPENDED = (
            letter_texts.ALARM_SUSPENDED,
            letter_texts.KIND_LABELS[letter_texts.ALARM_SUSPENDED],
        )
        ALARM_REINSTATED = (
            letter_texts.ALARM_REINSTATED,
            letter_texts.KIND_LABELS[letter_texts.ALARM_REINSTATED],
        )
        ALARM_APPEAL_RECEIVED = (
            letter_texts.ALARM_APPEAL_RECEIVED,
            letter_texts.KIND_LABELS[letter_texts.ALARM_APPEAL_RECEIVED],
        )
        ALARM_HEARING_SCHEDULED = (
            letter_texts.ALARM_HEARING_SCHEDULED,
            letter_texts.KIND_LABELS[letter_texts.ALARM_HEARING_SCHEDULED],
        )
        ALARM_APPEAL_DECISION = (
            letter_texts.ALARM_APPEAL_DECISION,
            letter_texts.KIND_LABELS[letter_texts.ALARM_APPEAL_DECISION],
        )

    kind = models.CharField(max_length=30, choices=Kind, unique=True)
    name = models.CharField(max_length=100)
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text; a blank line starts a new paragraph.")
    subject_es = models.CharField(
        "subject (Spanish)",
        max_length=200,
        blank=True,
        help_text="Leave both Spanish fields blank to send this letter in English to everyone.",
    )
    body_es = models.TextField(
        "body (Spanish)",
        blank=True,
        help_text="Sent to customers who prefer Spanish. The same merge fields may be used.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(
        default=True, help_text="An inactive letter is not sent; sending one is refused."
    )

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:letter_template_edit", args=[self.pk])

    def clean(self):
        errors = {}
        for field in ("subject", "body", "subject_es", "body_es"):
            unknown = letter_texts.unknown_fields(self.kind, getattr(self, field))
            if unknown:
                errors[field] = (
                    f"Not a merge field of the {self.get_kind_display()} letter: "
                    + ", ".join(unknown)
                    + "."
                )
        # Half a translation would send a Spanish letter under an English
        # subject, or the reverse.
        if bool(self.subject_es.strip()) != bool(self.body_es.strip()):
            missing = "subject_es" if not self.subject_es.strip() else "body_es"
            errors.setdefault(
                missing, "Give both the Spanish subject and body, or leave both blank."
            )
        if errors:
            raise ValidationError(errors)

    def wording(self, language: str) -> tuple[str, str, str]:
        """(language, subject, body) for a customer preferring ``language``:
        the Spanish wording when asked for and written, else English."""
        if language == letter_texts.SPANISH and self.body_es.strip():
            return letter_texts.SPANISH, self.subject_es, self.body_es
        return letter_texts.ENGLISH, self.subject, self.body

    @property
    def allowed_fields(self) -> tuple[str, ...]:
        return letter_texts.allowed_fields(self.kind)


@audited()
class Letter(models.Model):
    """A letter as it was sent: its text is frozen, so the PDF printed later
    says what the customer received."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=30, choices=LetterTemplate.Kind)
    language = models.CharField(
        max_length=2, choices=[("en", "English"), ("es", "Spanish")], default="en"
    )
    recipient = models.CharField(max_length=362, help_text="The name the letter is addressed to")
    address = models.TextField(blank=True, help_text="The address block as printed")
    subject = models.CharField(max_length=500)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    emailed_to = models.EmailField(blank=True, help_text="Blank when mailed on paper")
    emailed_at = models.DateTimeField(null=True, blank=True)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="letters")
    source_key = models.CharField(
        max_length=120,
        blank=True,
        help_text="Names the event that sent it, so the same letter is sent once",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["account", "-created_at"], name="letter_account_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="letter_source_key_once"
            ),
            models.CheckConstraint(
                condition=Q(emailed_at__isnull=True) | ~Q(emailed_to=""),
                name="letter_emailed_has_address",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.account_id} on {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("accounts:letter_pdf", args=[self.account.number, self.pk])

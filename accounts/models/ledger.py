"""The ledger: the only record of what a customer owes.

Every money event is a JournalEntry whose JournalLegs sum to zero (checked by
the database at commit); posted rows are never updated or deleted (a database
trigger refuses it); a correction is a new entry that reverses the old one.
Amounts are signed: a debit is positive, a credit negative. On a receivable
leg a positive amount is a charge to the customer and a negative one a credit.
"""

from django.conf import settings
from django.db import models

from accounts.models.customers import Account
from accounts.models.premises import ServiceAgreement, Utility


class TransactionStart(models.Func):
    """PostgreSQL's now(): the start time of the current transaction."""

    template = "transaction_timestamp()"
    output_field = models.DateTimeField()


class GLAccount(models.Model):
    """A general-ledger account, configured by administrators."""

    class Purpose(models.TextChoices):
        RECEIVABLE = "receivable", "Customer receivable"
        REVENUE = "revenue", "Revenue"
        CASH = "cash", "Cash and bank"
        SUSPENSE = "suspense", "Suspense (unapplied cash)"
        DEPOSITS = "deposits", "Customer deposits held"
        OVER_SHORT = "over_short", "Cash over/short"
        BAD_DEBT = "bad_debt", "Bad debt"
        ALARM_FEES = "alarm_fees", "Alarm fees"
        FEES = "fees", "Fee revenue"
        TAX = "tax", "Sales tax payable"
        REFUNDS = "refunds", "Refunds payable"
        PREPETITION = "prepetition", "Pre-petition receivable (bankruptcy claim)"

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    purpose = models.CharField(max_length=12, choices=Purpose)
    utility = models.CharField(max_length=12, choices=Utility, blank=True)
    rate_schedule = models.CharField(max_length=12, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "GL account"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "utility", "rate_schedule"],
                condition=models.Q(active=True),
                name="glaccount_one_active_per_purpose",
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class JournalEntry(models.Model):
    class Kind(models.TextChoices):
        BILL = "bill", "Bill"
        PAYMENT = "payment", "Payment"
        FEE = "fee", "Fee"
        LATE_FEE = "late_fee", "Late fee"
        ADJUSTMENT = "adjustment", "Adjustment"
        DEPOSIT = "deposit", "Deposit"
        DEPOSIT_REFUND = "deposit_refund", "Deposit refund"
        TRANSFER = "transfer", "Transfer"
        REFUND = "refund", "Refund"
        WRITE_OFF = "write_off", "Write-off"
        RECOVERY = "recovery", "Recovery"
        ARRANGEMENT = "arrangement", "Payment arrangement"
        PREPETITION = "prepetition", "Bankruptcy pre-petition claim"
        REVERSAL = "reversal", "Reversal"
        OVER_SHORT = "over_short", "Drawer over/short"

    kind = models.CharField(max_length=16, choices=Kind)
    effective_on = models.DateField(help_text="The business date of the event")
    due_on = models.DateField(null=True, blank=True, help_text="For charges: when they fall due")
    description = models.CharField(max_length=200)
    account = models.ForeignKey(
        Account,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
        help_text="The customer account it concerns, if one",
        db_index=False,  # entry_account_idx leads with it
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    source_key = models.CharField(
        max_length=120,
        null=True,
        blank=True,
        unique=True,
        help_text="Names the event that caused it, so posting it twice is refused",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    # The transaction's start time, set by the database: legs may only be added
    # to an entry posted by the same transaction (see the ledger triggers).
    posted_at = models.DateTimeField(db_default=TransactionStart(), editable=False)

    class Meta:
        verbose_name_plural = "journal entries"
        ordering = ["effective_on", "pk"]
        indexes = [models.Index(fields=["account", "effective_on"], name="entry_account_idx")]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()} {self.effective_on}: {self.description}"


class JournalLeg(models.Model):
    # No foreign-key constraint: the ledger's insert trigger checks each
    # statement's legs against entries posted by the same transaction (which
    # proves the entry exists), and entries are never deleted (migration
    # 0026); a row-by-row key check cost nearly as much as writing the legs.
    entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, related_name="legs", db_constraint=False
    )
    gl_account = models.ForeignKey(GLAccount, on_delete=models.PROTECT, related_name="legs")
    account = models.ForeignKey(
        Account,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legs",
        db_index=False,  # leg_account_gl_idx leads with it
    )
    service_agreement = models.ForeignKey(
        ServiceAgreement, null=True, blank=True, on_delete=models.PROTECT, related_name="legs"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        indexes = [
            models.Index(fields=["account", "gl_account"], name="leg_account_gl_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="leg_amount_not_zero"),
        ]

    def __str__(self):
        return f"{self.gl_account.code} {self.amount}"

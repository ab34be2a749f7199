from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mesa_cs.lib.audit import audited


class TenderSource(models.Model):
    """Where money comes in: a counter drawer, a kiosk, the drop box, a file."""

    class Kind(models.TextChoices):
        DRAWER = "drawer", "Counter drawer"
        FILE = "file", "Payment file"

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=8, choices=Kind)
    office = models.CharField(
        max_length=40, help_text="Main, East, Unattended Payment Center, Bank"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.name


class Tender(models.TextChoices):
    CASH = "CASH", "Cash"
    CHECK = "CHECK", "Check"
    MONEY_ORDER = "MONEY_ORDER", "Money order"
    CARD = "CARD", "Card (terminal)"
    ACH = "ACH", "ACH"


@audited()
class DrawerShift(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    source = models.ForeignKey(TenderSource, on_delete=models.PROTECT, related_name="shifts")
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    business_date = models.DateField(default=timezone.localdate)
    opening_float = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=8, choices=Status, default=Status.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    counted = models.JSONField(default=dict, blank=True, help_text="Cash by denomination, checks")
    counted_cash = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    counted_checks = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    difference = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Counted less expected"
    )
    difference_reason = models.CharField(max_length=200, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    over_short_entry = models.OneToOneField(
        "accounts.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deposit = models.ForeignKey(
        "BankDeposit", null=True, blank=True, on_delete=models.PROTECT, related_name="shifts"
    )
    reopen_count = models.PositiveSmallIntegerField(default=0)
    # A difference over the sign-off threshold closed with no supervisor at
    # the counter waits in the approvals inbox from this moment until one
    # signs it off (signed_off_by) or declines it (the shift reopens).
    sign_off_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=Q(status="open"), name="drawer_one_open_shift"
            ),
            models.UniqueConstraint(
                fields=["cashier"], condition=Q(status="open"), name="cashier_one_open_shift"
            ),
            models.CheckConstraint(
                condition=Q(signed_off_by__isnull=True) | ~Q(signed_off_by=models.F("cashier")),
                name="shift_signed_off_by_someone_else",
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.business_date} ({self.cashier})"

    @property
    def awaits_sign_off(self) -> bool:
        return bool(self.sign_off_requested_at) and not self.signed_off_by_id


@audited(inserts=False)  # created in bulk by payment files; the file records who
class Payment(models.Model):
    class Status(models.TextChoices):
        POSTED = "posted", "Posted"
        VOIDED = "voided", "Voided"
        RETURNED = "returned", "Returned"

    source = models.ForeignKey(TenderSource, on_delete=models.PROTECT, related_name="payments")
    shift = models.ForeignKey(
        DrawerShift, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    received_on = models.DateField()
    received_at = models.DateTimeField(default=timezone.now)
    payer_name = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.POSTED)
    # A counter screen's submission key, or a payment file's item reference:
    # the same one again replays the first payment instead of taking another.
    idempotency_key = models.CharField(max_length=120, unique=True)
    change_due = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["source", "received_on"], name="payment_source_day_idx")]

    def __str__(self):
        return f"Payment {self.pk} {self.received_on}"


class PaymentTender(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="tenders")
    tender = models.CharField(max_length=12, choices=Tender)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reference = models.CharField(
        max_length=40, blank=True, help_text="Check or money order number, card approval code"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="tender_amount_positive")
        ]

    def __str__(self):
        return f"{self.get_tender_display()} {self.amount}"


class PaymentAllocation(models.Model):
    """The part of a payment applied to one account, with its ledger entry."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, related_name="payment_allocations"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    entry = models.OneToOneField(
        "accounts.JournalEntry", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive")
        ]

    def __str__(self):
        return f"{self.amount} to {self.account_id}"


class BankDeposit(models.Model):
    office = models.CharField(max_length=40)
    business_date = models.DateField()
    cash = models.DecimalField(max_digits=12, decimal_places=2)
    checks = models.DecimalField(max_digits=12, decimal_places=2)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-business_date", "-pk"]

    def __str__(self):
        return f"Deposit {self.office} {self.business_date}"


class PaymentFile(models.Model):
    """A payment file as received, kept whatever happened to it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be imported"
        RUNNING = "running", "Importing"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        DUPLICATE = "duplicate", "Duplicate"

    file_id = models.CharField(max_length=80, blank=True)
    source = models.CharField(max_length=12, blank=True)
    created_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status)
    original = models.FileField(upload_to="payment-files/%Y/%m/")
    original_name = models.CharField(max_length=200)
    summary = models.JSONField(default=dict)
    # Progress of the line check, for the page that polls a background import.
    lines_total = models.PositiveIntegerField(default=0)
    lines_checked = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at"]
        constraints = [
            # A file id is accepted once; later copies are recorded as duplicates.
            models.UniqueConstraint(
                fields=["file_id"], condition=Q(status="accepted"), name="paymentfile_accepted_once"
            )
        ]

    def __str__(self):
        return f"{self.file_id or self.original_name} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return int(self.lines_checked * 100 / self.lines_total) if self.lines_total else 0


@audited()
class SuspenseItem(models.Model):
    """Money received that could not be applied (or a return that matched no
    payment), held for staff to research."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", "Unapplied payment"
        RETURN = "return", "Unmatched return"

    class Status(models.TextChoices):
        HELD = "held", "Held"
        APPLIED = "applied", "Applied to an account"
        REFUNDED = "refunded", "Refunded"
        CLOSED = "closed", "Closed"

    kind = models.CharField(max_length=8, choices=Kind)
    payment_file = models.ForeignKey(
        PaymentFile, null=True, blank=True, on_delete=models.PROTECT, related_name="suspense_items"
    )
    source = models.CharField(max_length=12)
    item_ref = models.CharField(max_length=80)
    account_number = models.CharField(max_length=40, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    tender = models.CharField(max_length=12, blank=True)
    check_number = models.CharField(max_length=40, blank=True)
    payer_name = models.CharField(max_length=120, blank=True)
    reason = models.CharField(max_length=200)
    received_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status, default=Status.HELD)
    entry = models.OneToOneField(
        "accounts.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution_entry = models.OneToOneField(
        "accounts.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["received_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "item_ref"], name="suspense_item_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="suspense_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.item_ref} {self.amount}"


@audited()
class VoidRequest(models.Model):
    """A cashier's request that a supervisor void a counter payment, decided
    in the approvals inbox (or by a supervisor signing in at the counter)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved, voided"
        DECLINED = "declined", "Declined"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="void_requests")
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment"], condition=Q(status="pending"), name="void_one_pending"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="void_second_person_decides",
            ),
        ]

    def __str__(self):
        return f"Void of payment {self.payment_id} ({self.get_status_display()})"


@audited()
class CreditRefund(models.Model):
    """Paying back a credit balance (e.g. after a final bill); a second
    person approves before it posts to refunds payable."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved, refund payable"
        REJECTED = "rejected", "Rejected"

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, related_name="refunds"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    entry = models.OneToOneField(
        "accounts.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="refund_second_person_decides",
            ),
        ]

    def __str__(self):
        return f"Refund {self.amount} to {self.account_id} ({self.get_status_display()})"

"""Payment files in mesa-remit/1 (docs/cashiering.md, "Payment files").

A file is received (its original kept, a row recorded), then processed: every
line is checked first, and only a file without a fault posts anything, all
in one transaction, so a file is posted whole or not at all
(docs/cashiering.md "Payment files")."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import Q

from accounts.models import (
    Account,
    AccountFlag,
    FieldActivity,
    GLAccount,
    JournalEntry,
    ServiceAgreement,
)
from accounts.panels import payment_posted
from accounts.services import (
    EntrySpec,
    GLChart,
    Leg,
    PaymentSpec,
    entries_post_many,
    entry_post,
    payments_post_many,
)
from cashiering.models import (
    Payment,
    PaymentAllocation,
    PaymentFile,
    PaymentTender,
    SuspenseItem,
    TenderSource,
)
from cashiering.services.payments import payment_return
from cashiering.services.suspense import suspense_work_open
from mesa_cs.lib.dates import today
from mesa_cs.lib.imports import (
    CONTROL,
    bounded_decimal,
    control_character,
    csv_fields,
    database_refusal,
    file_lines,
    too_large,
)
from mesa_cs.lib.luhn import looks_like_card_number, luhn_is_valid, mask_card_numbers
from mesa_cs.lib.money import ZERO

logger = logging.getLogger(__name__)

SOURCES = {"LOCKBOX", "KIOSK", "DROPBOX", "ONLINE", "ACH"}
TENDERS = {"CASH", "CHECK", "MONEY_ORDER", "CARD", "ACH"}
SHAPES = {"H": 4, "P": 7, "R": 5, "T": 5}
# The longest value each field may have: what the columns that keep it hold
# (an item reference becomes "remit:<ref>" in Payment.idempotency_key).
LONGEST = {"file id": 80, "item reference": 80, "account number": 40, "check number": 40}
PROGRESS_EVERY = 1000  # lines checked between two progress updates


@dataclass
class Record:
    line: int
    fields: list[str]

    @property
    def kind(self) -> str:
        return self.fields[0] if self.fields else ""


@dataclass
class Tally:
    count: int = 0
    amount: Decimal = ZERO

    def add(self, amount: Decimal) -> None:
        self.count += 1
        self.amount += amount

    def as_dict(self) -> dict:
        return {"count": self.count, "amount": f"{self.amount:.2f}"}


@dataclass
class Outcome:
    file_id: str = ""
    status: str = PaymentFile.Status.REJECTED
    posted: Tally = field(default_factory=Tally)
    suspense: Tally = field(default_factory=Tally)
    duplicate_items: Tally = field(default_factory=Tally)
    reversed: Tally = field(default_factory=Tally)
    unmatched: Tally = field(default_factory=Tally)
    errors: list[dict] = field(default_factory=list)
    # The lines being posted, to name them if the database refuses them.
    working: tuple[int, int] = (1, 1)

    def as_dict(self) -> dict:
        return {
            "file_id": self.file_id,
            "status": self.status,
            "payments": {
                "posted": self.posted.as_dict(),
                "suspense": self.suspense.as_dict(),
                "duplicate_items": self.duplicate_items.as_dict(),
            },
            "returns": {
                "reversed": self.reversed.as_dict(),
                "unmatched": self.unmatched.as_dict(),
            },
            "errors": self.errors,
        }


def _amount_error(text: str) -> str:
    """Why ``text`` is not an amount a payment can hold, or ""."""
    try:
        bounded_decimal(text, name="amount", positive=True)
    except ValueError:
        return (
            f"amount {text[:40]!r} is not a positive decimal with at most two places "
            "and at most 10 digits before the point"
        )
    return ""


def _amount(text: str) -> Decimal | None:
    """A positive decimal that fits the amount columns (12 digits, 2 places), else None."""
    return None if _amount_error(text) else Decimal(text)


def _total(text: str) -> Decimal | None:
    """A trailer total: the sum of amounts, so allowed a few more digits."""
    try:
        return bounded_decimal(text, name="total", max_digits=16, positive=True)
    except ValueError:
        return None


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or "") else None
    except ValueError:
        return None


def parse(text: str, progress=None) -> tuple[list[Record], list[dict]]:
    """Every record, and every reason to reject the whole file.
    ``progress(checked, total)``, when given, is told how far the check is."""
    lines = file_lines(text)
    errors: list[dict] = []

    def error(line: int, reason: str) -> None:
        # Reasons quote what the line says, and they are stored and shown.
        errors.append({"line": line, "reason": mask_card_numbers(reason)})

    records, unreadable = [], set()
    for n, raw in enumerate(lines, start=1):
        try:
            if bad := control_character(raw):
                raise ValueError(bad)
            records.append(Record(n, csv_fields(raw)))
        except ValueError as exc:
            error(n, str(exc))
            unreadable.add(n)
            records.append(Record(n, []))
    if not records:
        return [], [{"line": 1, "reason": "the file is empty"}]
    now = today()
    for index, record in enumerate(records):
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, len(records))
        if record.line in unreadable:
            continue
        kind, expected = record.kind, SHAPES.get(record.kind)
        if expected is None:
            error(record.line, f"unknown record type {kind!r}; records are H, P, R or T")
            continue
        if len(record.fields) != expected:
            error(
                record.line,
                f"a {kind} record has {expected} fields, this one has {len(record.fields)}",
            )
            continue
        if kind == "H" and index != 0:
            error(record.line, "a header record is allowed only on the first line")
        if kind == "T" and index != len(records) - 1:
            error(record.line, "a trailer record is allowed only on the last line")
        for name, value in _limited_fields(record):
            if len(value) > LONGEST[name]:
                error(record.line, f"the {name} is longer than {LONGEST[name]} characters")
        if kind == "H":
            created = _date(record.fields[2])
            if created is None:
                error(record.line, f"created date {record.fields[2]!r} is not a date YYYY-MM-DD")
            elif created > now:
                # The file's payments are received on its created date.
                error(
                    record.line,
                    f"created date {created} is after today ({now}): "
                    "a payment cannot be received in the future",
                )
            if record.fields[3] not in SOURCES:
                error(
                    record.line,
                    f"source {record.fields[3]!r} is not one of {', '.join(sorted(SOURCES))}",
                )
            if not record.fields[1].strip():
                error(record.line, "the header has no file id")
        elif kind == "P":
            if reason := _amount_error(record.fields[3]):
                error(record.line, reason)
            if record.fields[4] not in TENDERS:
                error(
                    record.line,
                    f"tender {record.fields[4]!r} is not one of {', '.join(sorted(TENDERS))}",
                )
            if not record.fields[1].strip():
                error(record.line, "the payment has no item reference")
            elif looks_like_card_number(record.fields[1]):
                # The reference becomes the payment's key and the suspense
                # item's: it would be stored as it is, so the file is refused.
                error(record.line, "the item reference looks like a card number")
        elif kind == "R":
            if reason := _amount_error(record.fields[3]):
                error(record.line, reason)
            returned = _date(record.fields[4])
            if returned is None:
                error(record.line, f"return date {record.fields[4]!r} is not a date YYYY-MM-DD")
            elif returned > now:
                error(record.line, f"return date {returned} is after today ({now})")
            if len(record.fields[2]) > 20:
                error(record.line, "the return code is longer than 20 characters")
    if records[0].kind != "H":
        error(records[0].line, "the first record must be the header (H)")
    if records[-1].kind != "T":
        error(records[-1].line, "the last record must be the trailer (T)")
    elif len(records[-1].fields) == 5:
        _check_trailer(records, error)
    if progress:
        progress(len(records), len(records))
    return records, sorted(errors, key=lambda e: e["line"])


def _limited_fields(record: Record):
    if record.kind == "H":
        yield "file id", record.fields[1]
    elif record.kind == "P":
        yield "item reference", record.fields[1]
        yield "account number", record.fields[2]
        yield "check number", record.fields[5]
    elif record.kind == "R":
        yield "item reference", record.fields[1]


def _check_trailer(records: list[Record], error) -> None:
    trailer = records[-1]
    payments = [r for r in records if r.kind == "P" and len(r.fields) == 7]
    returns = [r for r in records if r.kind == "R" and len(r.fields) == 5]
    p_total = sum((_amount(r.fields[3]) or ZERO for r in payments), ZERO)
    r_total = sum((_amount(r.fields[3]) or ZERO for r in returns), ZERO)
    _, p_count, p_sum, r_count, r_sum = trailer.fields
    checks = [
        ("P count", p_count, str(len(payments)), lambda t: t.isdigit() and int(t) == len(payments)),
        (
            "P total",
            p_sum,
            f"{p_total:.2f}",
            lambda t: _total(t) == p_total or (t in ("0", "0.00") and not p_total),
        ),
        ("R count", r_count, str(len(returns)), lambda t: t.isdigit() and int(t) == len(returns)),
        (
            "R total",
            r_sum,
            f"{r_total:.2f}",
            lambda t: _total(t) == r_total or (t in ("0", "0.00") and not r_total),
        ),
    ]
    for name, given, actual, ok in checks:
        if not ok(given):
            error(
                trailer.line,
                f"the trailer's {name} is {given!r} but the records add up to {actual}",
            )


def payment_file_import(
    *, content: bytes, name: str, imported_by=None
) -> tuple[PaymentFile, Outcome]:
    """Receive and import a payment file here and now (the command, small
    uploads). The original is always kept; a rejected or duplicate file
    posts nothing; an accepted one posts each item once."""
    kept = payment_file_receive(content=content, name=name, imported_by=imported_by)
    return _process(kept.pk, content)


def payment_file_receive(*, content: bytes, name: str, imported_by=None) -> PaymentFile:
    """Keep the original, outside any transaction: whatever happens next,
    what the bank sent is on disk and on record, waiting to be imported."""
    name = CONTROL.sub("", name).rsplit("/", 1)[-1]
    stored = default_storage.save(
        PaymentFile.original.field.generate_filename(None, name or "payments.csv"),
        ContentFile(content),
    )
    return PaymentFile.objects.create(
        status=PaymentFile.Status.PENDING,
        original=stored,
        original_name=name[:200],
        imported_by=imported_by,
    )


def payment_file_process(*, file_id: int) -> PaymentFile:
    """Import a received file (what the Celery task calls). Safe to run
    twice: a finished file is left as it is, and the posting re-checks that
    under the file's row lock."""
    kept = PaymentFile.objects.get(pk=file_id)
    if kept.is_finished:
        return kept
    with kept.original.open("rb") as original:
        content = original.read()
    return _process(kept.pk, content)[0]


def _process(pk: int, content: bytes) -> tuple[PaymentFile, Outcome]:
    PaymentFile.objects.filter(pk=pk, status=PaymentFile.Status.PENDING).update(
        status=PaymentFile.Status.RUNNING
    )
    outcome = Outcome()
    records: list[Record] = []
    if reason := too_large(len(content)):
        outcome.errors = [{"line": 1, "reason": reason}]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = content[: exc.start].count(b"\n") + 1
            outcome.errors = [{"line": line, "reason": "the file is not UTF-8 text"}]
        else:
            records, outcome.errors = parse(text, progress=_progress(pk))
    header = (
        records[0].fields
        if records and records[0].kind == "H" and len(records[0].fields) == 4
        else None
    )
    outcome.file_id = CONTROL.sub("", header[1])[:80] if header else ""
    if outcome.errors:
        return _finish(pk, outcome, header)
    try:
        with transaction.atomic():
            kept = PaymentFile.objects.select_for_update().get(pk=pk)
            if kept.is_finished:  # a second run of the task finished it first
                return kept, outcome
            _describe(kept, header)
            already = PaymentFile.objects.select_for_update().filter(
                file_id=outcome.file_id, status=PaymentFile.Status.ACCEPTED
            )
            if already.exists():
                outcome.status = PaymentFile.Status.DUPLICATE
            else:
                outcome.status = PaymentFile.Status.ACCEPTED
                _post_items(kept, records, outcome, kept.imported_by)
            _save(kept, outcome)
    except (DatabaseError, ValueError, ValidationError) as exc:
        # Everything the file posted is rolled back with the transaction; the
        # file is rejected with the lines the database refused.
        logger.exception("payment file %s: posting refused", pk)
        first, last = outcome.working
        lines = f"line {first}" if first == last else f"lines {first}-{last}"
        refused = Outcome(file_id=outcome.file_id)
        if "paymentfile_accepted_once" in str(exc):
            refused.status = PaymentFile.Status.DUPLICATE
        refused.errors = [
            {
                "line": first,
                "reason": f"nothing was posted: the database refused {lines} "
                f"({database_refusal(exc)})",
            }
        ]
        return _finish(pk, refused, header)
    return kept, outcome


def _progress(pk: int):
    def record(checked: int, total: int) -> None:
        PaymentFile.objects.filter(pk=pk).update(lines_checked=checked, lines_total=total)

    return record


def _describe(kept: PaymentFile, header: list[str] | None) -> None:
    """What the header says, as far as it can be kept."""
    if header:
        kept.file_id = CONTROL.sub("", header[1])[:80]
        kept.source = header[3] if header[3] in SOURCES else ""
        kept.created_on = _date(header[2])


def _save(kept: PaymentFile, outcome: Outcome) -> None:
    kept.status = outcome.status
    kept.summary = outcome.as_dict()
    kept.lines_checked = kept.lines_total
    kept.save(
        update_fields=["file_id", "source", "created_on", "status", "summary", "lines_checked"]
    )


def payment_file_abandon(*, file_id: int, why: str) -> None:
    """A file whose task failed or ran out of time: its posting rolled back,
    so it is rejected with the reason, never left running with no summary."""
    outcome = Outcome()
    outcome.errors = [
        {"line": 1, "reason": f"the import stopped ({why}); nothing was posted: import it again"}
    ]
    _finish(file_id, outcome, None)


def _finish(pk: int, outcome: Outcome, header) -> tuple[PaymentFile, Outcome]:
    """Record a file that posts nothing, with its reasons."""
    with transaction.atomic():
        kept = PaymentFile.objects.select_for_update().get(pk=pk)
        if not kept.is_finished:
            _describe(kept, header)
            _save(kept, outcome)
    return kept, outcome


def _post_items(kept: PaymentFile, records: list[Record], outcome: Outcome, by) -> None:
    """Post an accepted file's payments in a few statements (a lockbox file
    can hold tens of thousands), then its returns one by one."""
    source = TenderSource.objects.get(code=kept.source)
    received_on = kept.created_on
    chart = GLChart()
    payments = [r for r in records if r.kind == "P"]
    refs = [r.fields[1] for r in payments]
    seen = set(
        Payment.objects.filter(idempotency_key__in=[f"remit:{ref}" for ref in refs]).values_list(
            "idempotency_key", flat=True
        )
    ) | {
        f"remit:{ref}"
        for ref in SuspenseItem.objects.filter(
            kind=SuspenseItem.Kind.PAYMENT, item_ref__in=refs
        ).values_list("item_ref", flat=True)
    }
    numbers = {r.fields[2] for r in payments}
    accounts = {a.number: a for a in Account.objects.filter(number__in=numbers)}
    certified = set(
        AccountFlag.objects.filter(
            account__number__in=numbers,
            kind=AccountFlag.Kind.CERTIFIED_FUNDS_ONLY,
            starts_on__lte=received_on,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=received_on))
        .values_list("account__number", flat=True)
    )
    to_post, to_hold = [], []
    for record in payments:
        _, item_ref, number, amount_text, tender, check_number, payer = record.fields
        amount, key = _amount(amount_text), f"remit:{item_ref}"
        if key in seen:
            outcome.duplicate_items.add(amount)
            continue
        seen.add(key)
        reason = _why_not_payable(number, tender, check_number, payer, accounts, certified)
        if reason:
            to_hold.append((record, amount, reason))
            outcome.suspense.add(amount)
        else:
            to_post.append((record, amount, accounts[number]))
            outcome.posted.add(amount)
    if payments:
        outcome.working = (payments[0].line, payments[-1].line)
    _hold_many(kept, to_hold, chart, received_on, by)
    _post_many(to_post, source, received_on, by)
    for record in records:
        if record.kind == "R":
            outcome.working = (record.line, record.line)
            _return(kept, record, chart, outcome, by)


def _post_many(to_post, source, received_on, by) -> None:
    made = Payment.objects.bulk_create(
        Payment(
            source=source,
            received_on=received_on,
            payer_name=record.fields[6][:120],
            idempotency_key=f"remit:{record.fields[1]}",
            created_by=by,
        )
        for record, _, _ in to_post
    )
    PaymentTender.objects.bulk_create(
        PaymentTender(
            payment=payment, tender=record.fields[4], amount=amount, reference=record.fields[5]
        )
        for payment, (record, amount, _) in zip(made, to_post, strict=True)
    )
    entry_ids = payments_post_many(
        [
            PaymentSpec(
                account=account,
                amount=amount,
                effective_on=received_on,
                description=f"Payment, {source.name}",
                source_key=f"payment:{payment.pk}:{account.pk}",
            )
            for payment, (_, amount, account) in zip(made, to_post, strict=True)
        ],
        created_by=by,
    )
    PaymentAllocation.objects.bulk_create(
        PaymentAllocation(payment=payment, account=account, amount=amount, entry_id=entry_id)
        for payment, (_, amount, account), entry_id in zip(made, to_post, entry_ids, strict=True)
    )
    paid = {account.pk: account for _, _, account in to_post}
    # Only accounts that are disconnected, or have a disconnect order waiting
    # for the crew, have anything for Credit Services to do.
    disconnected = ServiceAgreement.objects.filter(
        account_id__in=list(paid), status=ServiceAgreement.Status.DISCONNECTED
    ).values_list("account_id", flat=True)
    awaiting_crew = FieldActivity.objects.filter(
        account_id__in=list(paid),
        kind=FieldActivity.Kind.DISCONNECT,
        status=FieldActivity.Status.PENDING,
    ).values_list("account_id", flat=True)
    for account_id in sorted(set(disconnected) | set(awaiting_crew)):
        payment_posted(account=paid[account_id], on=received_on, by=by)


def _why_not_payable(number, tender, check_number, payer, accounts, certified) -> str:
    if any(looks_like_card_number(text) for text in (number, check_number, payer)):
        return "a field looks like a card number"
    if not (number.isdigit() and len(number) == 10 and luhn_is_valid(number)):
        return "the account number fails its check digit"
    account = accounts.get(number)
    if account is None:
        return "no account has this number"
    if account.status == Account.Status.CLOSED:
        return "the account is closed"
    if tender == "CHECK" and number in certified:
        return "the account must pay by certified funds"
    return ""


def _hold_many(kept, to_hold, chart, received_on, by) -> None:
    """Money that cannot be applied goes to suspense, item by item, for staff."""
    if not to_hold:
        return
    cash, suspense = chart.get(GLAccount.Purpose.CASH), chart.get(GLAccount.Purpose.SUSPENSE)
    entry_ids = entries_post_many(
        [
            EntrySpec(
                kind=JournalEntry.Kind.PAYMENT,
                effective_on=received_on,
                description=f"Held in suspense: {kept.source} item {record.fields[1]}",
                legs=[Leg(cash, amount), Leg(suspense, -amount)],
                source_key=f"suspense:{record.fields[1]}",
            )
            for record, amount, _ in to_hold
        ],
        created_by=by,
    )
    held = SuspenseItem.objects.bulk_create(
        SuspenseItem(
            kind=SuspenseItem.Kind.PAYMENT,
            payment_file=kept,
            source=kept.source,
            item_ref=record.fields[1],
            # A card number is held as its last 4 only (docs/security.md).
            account_number=mask_card_numbers(record.fields[2]),
            amount=amount,
            tender=record.fields[4],
            check_number=mask_card_numbers(record.fields[5]),
            payer_name=mask_card_numbers(record.fields[6])[:120],
            reason=reason,
            received_on=received_on,
            entry_id=entry_id,
        )
        for (record, amount, reason), entry_id in zip(to_hold, entry_ids, strict=True)
    )
    suspense_work_open(held)


def _return(kept, record, chart, outcome: Outcome, by) -> None:
    _, item_ref, code, amount_text, returned_text = record.fields
    amount, returned_on = _amount(amount_text), _date(returned_text)
    original = Payment.objects.filter(idempotency_key=f"remit:{item_ref}").first()
    reason = ""
    if original is None:
        reason = "no posted payment has this item reference"
    elif original.status != Payment.Status.POSTED:
        reason = f"the payment is already {original.get_status_display().lower()}"
    elif sum(a.amount for a in original.allocations.all()) != amount:
        reason = "the returned amount differs from the payment"
    elif returned_on < original.received_on:
        reason = "the return is dated before the payment was received"
    if reason:
        _hold_return(kept, item_ref, code, amount, returned_on, reason, chart, by)
        outcome.unmatched.add(amount)
        return
    payment_return(payment=original, return_code=code, on=returned_on, created_by=by)
    outcome.reversed.add(amount)


def _hold_return(kept, item_ref, code, amount, returned_on, reason, chart, by) -> None:
    """The bank took the money back; hold it until someone finds the payment."""
    if SuspenseItem.objects.filter(kind=SuspenseItem.Kind.RETURN, item_ref=item_ref).exists():
        return
    entry = entry_post(
        kind=JournalEntry.Kind.REVERSAL,
        effective_on=returned_on,
        description=f"Unmatched return {code}: {kept.source} item {item_ref}",
        legs=[
            Leg(chart.get(GLAccount.Purpose.SUSPENSE), amount),
            Leg(chart.get(GLAccount.Purpose.CASH), -amount),
        ],
        created_by=by,
        source_key=f"unmatched-return:{item_ref}",
    )
    held = SuspenseItem.objects.create(
        kind=SuspenseItem.Kind.RETURN,
        payment_file=kept,
        source=kept.source,
        item_ref=item_ref,
        amount=amount,
        reason=f"{code}: {reason}",
        received_on=returned_on,
        entry=entry,
    )
    suspense_work_open([held])

"""Researching what payment files could not apply: apply it to an account or
refund it. Each step is recorded (SuspenseItem is audited) with who did it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, GLAccount, JournalEntry
from accounts.services import Charge, GLChart, Leg, charges_post, entry_post
from cashiering.models import SuspenseItem, TenderSource
from cashiering.services.payments import TenderLine, payment_record
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.luhn import reject_card_numbers
from staffing.models import Section, WorkItem
from staffing.services import work_item_close_for_source, work_items_open_many

# The work items held money opens in the Business Office queue (docs/work_items.md).
WORK_KINDS = {
    SuspenseItem.Kind.PAYMENT: "suspense_payment",
    SuspenseItem.Kind.RETURN: "unmatched_return",
}


def suspense_work_open(items: list[SuspenseItem]) -> None:
    """One work item per held item, for the Business Office to research."""
    work_items_open_many(
        [
            WorkItem(
                kind=WORK_KINDS[item.kind],
                section=Section.BUSINESS_OFFICE,
                title=f"{item.get_kind_display()} {money_text(item.amount)} "
                f"({item.source} item {item.item_ref}): {item.reason}",
                details=f"Received {item.received_on:%m/%d/%Y}"
                + (f"; payer {item.payer_name}" if item.payer_name else ""),
                source_key=f"suspense:{item.pk}",
            )
            for item in items
        ]
    )


def _held(item_id: int) -> SuspenseItem:
    item = SuspenseItem.objects.select_for_update().get(pk=item_id)
    if item.status != SuspenseItem.Status.HELD:
        raise ValidationError("This item has already been resolved.")
    return item


def _resolve(item: SuspenseItem, status: str, by, note: str, entry, account=None) -> SuspenseItem:
    item.status = status
    item.resolved_by, item.resolved_at = by, timezone.now()
    item.resolution_entry = entry
    item.applied_account = account
    item.note = note.strip()
    item.save()
    work_item_close_for_source(
        kind=WORK_KINDS[item.kind],
        source_key=f"suspense:{item.pk}",
        closed_by=by,
        outcome=f"{item.get_status_display()}"
        + (f": {account.number}" if account is not None else ""),
    )
    return item


@transaction.atomic
def suspense_apply(*, item_id: int, account: Account, by, note: str = "") -> SuspenseItem:
    """Apply a held payment to the account it was meant for (money moves from
    suspense to the account), or charge an unmatched return back to the
    account whose payment it was."""
    reject_card_numbers(note=note)
    item = _held(item_id)
    if item.kind == SuspenseItem.Kind.PAYMENT:
        payment = payment_record(
            source=TenderSource.objects.get(code=item.source),
            received_on=timezone.localdate(),
            tenders=[TenderLine(item.tender or "CHECK", item.amount, item.check_number)],
            allocations=[(account, item.amount)],
            idempotency_key=f"remit:{item.item_ref}",
            payer_name=item.payer_name,
            created_by=by,
            debit_gl=GLChart().get(GLAccount.Purpose.SUSPENSE),
        )
        entry = payment.allocations.get().entry
    else:
        entry = charges_post(
            account=account,
            kind=JournalEntry.Kind.REVERSAL,
            effective_on=timezone.localdate(),
            description=f"Returned payment {item.item_ref}: {item.reason}",
            charges=[Charge(item.amount, revenue_purpose=GLAccount.Purpose.SUSPENSE)],
            created_by=by,
            source_key=f"suspense-return:{item.pk}",
        )
    return _resolve(item, SuspenseItem.Status.APPLIED, by, note, entry, account)


@transaction.atomic
def suspense_refund(*, item_id: int, by, note: str) -> SuspenseItem:
    """Send a held payment back to the payer (refunds payable)."""
    if not note.strip():
        raise ValidationError({"note": "Say why and to whom it is refunded."})
    reject_card_numbers(note=note)
    item = _held(item_id)
    if item.kind != SuspenseItem.Kind.PAYMENT:
        raise ValidationError("Only a held payment can be refunded.")
    chart = GLChart()
    entry = entry_post(
        kind=JournalEntry.Kind.REFUND,
        effective_on=timezone.localdate(),
        description=f"Refund of suspense item {item.item_ref} to {item.payer_name or 'payer'}",
        legs=[
            Leg(chart.get(GLAccount.Purpose.SUSPENSE), item.amount),
            Leg(chart.get(GLAccount.Purpose.REFUNDS), -item.amount),
        ],
        created_by=by,
        source_key=f"suspense-refund:{item.pk}",
    )
    return _resolve(item, SuspenseItem.Status.REFUNDED, by, note, entry)

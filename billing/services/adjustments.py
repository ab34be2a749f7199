"""Adjustments, and cancel/rebill of bills. None edits a posted entry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, GLAccount, JournalEntry
from accounts.services import Charge, charges_post, entry_reverse
from billing.models import Adjustment, Bill
from billing.rules.ratebook import RateBook
from billing.services.bills import bill_issue, billed_determinants_count
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import to_money
from staffing.models import Section, WorkItem
from staffing.services import work_item_close_for_source, work_item_open


def _post(adjustment: Adjustment, on: date) -> JournalEntry:
    # Fee waivers and account-level adjustments go against fee revenue; the
    # rest against the utility's revenue.
    purpose = (
        GLAccount.Purpose.FEES
        if adjustment.reason == Adjustment.Reason.FEE_WAIVER or not adjustment.utility
        else GLAccount.Purpose.REVENUE
    )
    return charges_post(
        account=adjustment.account,
        kind=JournalEntry.Kind.ADJUSTMENT,
        effective_on=on,
        description=f"{adjustment.get_reason_display()}: {adjustment.note}"[:200],
        charges=[Charge(adjustment.amount, adjustment.utility, revenue_purpose=purpose)],
        created_by=adjustment.decided_by or adjustment.requested_by,
        source_key=f"adjustment:{adjustment.pk}",
    )


@transaction.atomic
def adjustment_request(
    *, account: Account, amount: Decimal, reason: str, note: str, requested_by, utility: str = ""
) -> Adjustment:
    """Record an adjustment; small ones post at once, larger ones wait for a
    second person (a work item in the billing queue)."""
    reject_card_numbers(note=note)
    adjustment = Adjustment(
        account=account,
        utility=utility,
        amount=to_money(amount),
        reason=reason,
        note=note.strip(),
        requested_by=requested_by,
    )
    if adjustment.amount == 0:
        raise ValidationError({"amount": "An adjustment needs an amount other than zero."})
    adjustment.full_clean(exclude=["account", "requested_by", "decided_by", "entry"])
    adjustment.save()
    if abs(adjustment.amount) <= settings.ADJUSTMENT_APPROVAL_THRESHOLD:
        adjustment.status = Adjustment.Status.POSTED
        adjustment.entry = _post(adjustment, timezone.localdate())
        adjustment.save(update_fields=["status", "entry"])
    else:
        work_item_open(
            kind="adjustment_approval",
            section=Section.ACCOUNT_MAINTENANCE,
            title=f"Approve {adjustment.get_reason_display().lower()} of {money_text(adjustment.amount)}",
            account=account,
            details=adjustment.note,
            priority=WorkItem.Priority.HIGH,
            opened_by=requested_by,
            source_key=f"adjustment:{adjustment.pk}",
        )
    return adjustment


def _decide(adjustment_id: int, by) -> Adjustment:
    adjustment = Adjustment.objects.select_for_update().get(pk=adjustment_id)
    if adjustment.status != Adjustment.Status.PENDING:
        raise ValidationError("This adjustment has already been decided.")
    if adjustment.requested_by_id == by.pk:
        raise ValidationError("Nobody approves their own adjustment; ask another person.")
    adjustment.decided_by, adjustment.decided_at = by, timezone.now()
    return adjustment


def _close_work(adjustment: Adjustment, by, outcome: str) -> None:
    work_item_close_for_source(
        kind="adjustment_approval",
        source_key=f"adjustment:{adjustment.pk}",
        closed_by=by,
        outcome=outcome,
    )


@transaction.atomic
def adjustment_approve(*, adjustment_id: int, by) -> Adjustment:
    adjustment = _decide(adjustment_id, by)
    adjustment.status = Adjustment.Status.POSTED
    adjustment.entry = _post(adjustment, timezone.localdate())
    adjustment.save(update_fields=["status", "decided_by", "decided_at", "entry"])
    _close_work(adjustment, by, "Approved and posted")
    return adjustment


@transaction.atomic
def adjustment_reject(*, adjustment_id: int, by, why: str) -> Adjustment:
    if not why.strip():
        raise ValidationError({"why": "Say why the adjustment is rejected."})
    reject_card_numbers(why=why)
    adjustment = _decide(adjustment_id, by)
    adjustment.status = Adjustment.Status.REJECTED
    adjustment.note = f"{adjustment.note} (rejected: {why.strip()})"[:300]
    adjustment.save(update_fields=["status", "decided_by", "decided_at", "note"])
    _close_work(adjustment, by, f"Rejected: {why.strip()}"[:200])
    return adjustment


@transaction.atomic
def bill_cancel_rebill(*, bill_id: int, reason: str, by, book: RateBook) -> Bill:
    """Cancel an issued bill (its entry is reversed, both stay in the history)
    and issue a new bill for the same period from the reads as they are now.
    The new bill asks for the account's balance today; its summary starts from
    the last bill still standing (see ``bills._since_last_bill``)."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the bill is cancelled."})
    reject_card_numbers(reason=reason)
    bill = Bill.objects.select_for_update().select_related("account").get(pk=bill_id)
    if bill.status != Bill.Status.ISSUED:
        raise ValidationError("Only an issued bill can be cancelled.")
    today = timezone.localdate()
    # Never dated before the bill it cancels: a bill dated after today and
    # its reversal then leave the balance on every date alike, and the
    # corrected bill's amount due is what the account owes today.
    entry_reverse(
        entry=bill.entry,
        reason=f"bill cancelled: {reason}",
        effective_on=max(today, bill.entry.effective_on),
        created_by=by,
    )
    Bill.objects.filter(pk=bill.pk).update(status=Bill.Status.CANCELLED)
    billed_determinants_count(bill_ids=[bill.pk], sign=-1)
    return bill_issue(
        account=bill.account,
        period_end=bill.period_end,
        bill_on=today,
        book=book,
        created_by=by,
        rebill_of=bill,
    )

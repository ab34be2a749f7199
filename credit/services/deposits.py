"""Deposits after the start: credited back after a run of on-time bills (a
daily job), disputes worked as Credit Services work items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Account, Deposit
from accounts.selectors import deposit_liability, receivable_open_items
from accounts.services.deposits import deposit_release
from accounts.services.letters_flow import deposit_refund_letter
from billing.models import Bill
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.system import system_user
from staffing.models import Section, WorkItem
from staffing.services import work_item_open

DEPOSIT_DISPUTE = "deposit_dispute"


def on_time_bills(account_id: int, *, since: date, as_of: date) -> int:
    """How many of the account's latest bills (issued since ``since`` and due
    before ``as_of``) in a row were paid by their due date: nothing due on or
    before that date was still open at its end."""
    bills = (
        Bill.objects.filter(
            account_id=account_id, status=Bill.Status.ISSUED, bill_on__gte=since, due_on__lt=as_of
        )
        .order_by("-due_on")
        .values_list("due_on", flat=True)[: settings.DEPOSIT_ON_TIME_BILLS]
    )
    streak = 0
    for due_on in bills:
        late = any(
            item.due_on <= due_on for item in receivable_open_items(account_id, as_of=due_on)
        )
        if late:
            break
        streak += 1
    return streak


@dataclass
class ReviewReport:
    examined: int = 0
    credited: list[int] = field(default_factory=list)


def deposits_review(*, on: date) -> ReviewReport:
    """Credit back every cash deposit whose account has paid the last 12 bills
    on time and owes nothing past due. Safe to run twice: a credited deposit
    is no longer held."""
    report = ReviewReport()
    earliest = on - timedelta(days=28 * settings.DEPOSIT_ON_TIME_BILLS)
    candidates = (
        Deposit.objects.filter(
            status=Deposit.Status.OPEN,
            form=Deposit.Form.CASH,
            required_on__lte=earliest,
            account__status=Account.Status.ACTIVE,
        )
        .values_list("account_id", "required_on")
        .order_by("account_id")
    )
    seen: dict[int, date] = {}
    for account_id, required_on in candidates:
        seen[account_id] = max(required_on, seen.get(account_id, required_on))
    by = None
    for account_id, since in seen.items():
        report.examined += 1
        if on_time_bills(account_id, since=since, as_of=on) < settings.DEPOSIT_ON_TIME_BILLS:
            continue
        by = by or system_user()
        try:
            deposit_credit_back(
                account=Account.objects.get(pk=account_id),
                on=on,
                by=by,
                note=f"{settings.DEPOSIT_ON_TIME_BILLS} bills paid on time",
            )
        except ValidationError:
            continue  # something fell past due or unpaid since the check
        report.credited.append(account_id)
    return report


@transaction.atomic
def deposit_credit_back(*, account: Account, on: date, by, note: str) -> Decimal:
    """Credit what the account holds on deposit back to it (refused while
    anything is past due or unpaid) and tell the customer by letter."""
    held, _ = deposit_liability(account.pk)
    entry = deposit_release(
        account=account, on=on, outcome=Deposit.Status.CREDITED, by=by, note=note
    )
    if entry is not None:
        deposit_refund_letter(account=account, amount=held, release_key=str(entry.pk), sent_by=by)
    return held


@transaction.atomic
def deposit_dispute_open(*, deposit: Deposit, details: str, by) -> WorkItem:
    """A customer disputes a deposit: Credit Services works it as an item."""
    if not details.strip():
        raise ValidationError({"details": "Say what the customer disputes."})
    reject_card_numbers(details=details)
    return work_item_open(
        kind=DEPOSIT_DISPUTE,
        section=Section.CREDIT,
        title=f"Deposit dispute: {money_text(deposit.amount)} on {deposit.account.number}",
        account=deposit.account,
        details=details.strip(),
        opened_by=by,
        source_key=f"deposit-dispute:{deposit.pk}",
    )

"""Write-offs of uncollectible debt, approved by a second person, and
recoveries: money that still comes in on debt already written off."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, GLAccount, JournalEntry
from accounts.selectors import account_balance
from accounts.services import GLChart, Leg, credit_legs, entry_post
from credit.models import WriteOff
from credit.selectors.cases import recoverable
from mesa_cs.lib.dates import refuse_future
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import ZERO, to_money
from mesa_cs.lib.roles import Role, user_roles
from staffing.models import Section
from staffing.services import work_item_close_for_source, work_item_open

WRITE_OFF_APPROVAL = "write_off_approval"
APPROVERS = {Role.SUPERVISOR, Role.ADMINISTRATOR}


def _source_key(write_off: WriteOff) -> str:
    return f"write-off:{write_off.pk}"


@transaction.atomic
def write_off_request(*, account: Account, amount: Decimal, reason: str, requested_by) -> WriteOff:
    """Ask to write off ``amount`` of the account's balance; a supervisor other
    than the requester approves it from the Credit Services queue. While one
    is pending for the account, asking again returns that one."""
    amount = to_money(amount)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the debt cannot be collected."})
    reject_card_numbers(reason=reason)
    # One pending write-off per account: the lock makes a second request wait
    # for the first and then find it.
    Account.objects.select_for_update().get(pk=account.pk)
    pending = WriteOff.objects.filter(account=account, status=WriteOff.Status.PENDING).first()
    if pending is not None:
        return pending
    balance = account_balance(account.pk)
    if not ZERO < amount <= balance:
        raise ValidationError(
            {
                "amount": f"The account owes {money_text(balance)}; write off more than $0.00, up to that."
            }
        )
    write_off = WriteOff.objects.create(
        account=account, amount=amount, reason=reason.strip()[:200], requested_by=requested_by
    )
    work_item_open(
        kind=WRITE_OFF_APPROVAL,
        section=Section.CREDIT,
        title=f"Approve a {money_text(amount)} write-off on {account.number}",
        account=account,
        details=write_off.reason,
        opened_by=requested_by,
        source_key=_source_key(write_off),
    )
    return write_off


def _decide(write_off_id: int, by) -> WriteOff:
    write_off = (
        WriteOff.objects.select_for_update(of=("self",))
        .select_related("account")
        .get(pk=write_off_id)
    )
    if write_off.status != WriteOff.Status.PENDING:
        raise ValidationError("This write-off has already been decided.")
    if write_off.requested_by_id == by.pk:
        raise ValidationError("Nobody approves their own write-off; ask another supervisor.")
    if not user_roles(by) & APPROVERS:
        raise ValidationError("A supervisor decides write-offs.")
    write_off.decided_by, write_off.decided_at = by, timezone.now()
    return write_off


@transaction.atomic
def write_off_approve(*, write_off_id: int, by) -> WriteOff:
    """Post the write-off: bad debt against the account's receivable, oldest
    charges first. Refused when the balance has fallen below the amount."""
    write_off = _decide(write_off_id, by)
    account = Account.objects.select_for_update().get(pk=write_off.account_id)
    balance = account_balance(account.pk)
    if write_off.amount > balance:
        raise ValidationError(
            f"The account now owes {money_text(balance)}, less than the {money_text(write_off.amount)} write-off; "
            "reject it and ask again."
        )
    chart = GLChart()
    write_off.entry = entry_post(
        kind=JournalEntry.Kind.WRITE_OFF,
        effective_on=timezone.localdate(),
        description=f"Written off: {write_off.reason}",
        legs=[
            Leg(chart.get(GLAccount.Purpose.BAD_DEBT), write_off.amount, account.pk),
            *credit_legs(account, write_off.amount, chart),
        ],
        account=account,
        created_by=by,
        source_key=_source_key(write_off),
    )
    write_off.status = WriteOff.Status.POSTED
    write_off.save(update_fields=["status", "decided_by", "decided_at", "entry"])
    work_item_close_for_source(
        kind=WRITE_OFF_APPROVAL,
        source_key=_source_key(write_off),
        closed_by=by,
        outcome="Approved and posted",
    )
    return write_off


@transaction.atomic
def write_off_reject(*, write_off_id: int, by, why: str) -> WriteOff:
    if not why.strip():
        raise ValidationError({"why": "Say why the write-off is rejected."})
    reject_card_numbers(why=why)
    write_off = _decide(write_off_id, by)
    write_off.status = WriteOff.Status.REJECTED
    write_off.reason = f"{write_off.reason} (rejected: {why.strip()})"[:200]
    write_off.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    work_item_close_for_source(
        kind=WRITE_OFF_APPROVAL,
        source_key=_source_key(write_off),
        closed_by=by,
        outcome=f"Rejected: {why.strip()}"[:200],
    )
    return write_off


@transaction.atomic
def recovery_post(
    *, account: Account, amount: Decimal, on: date, by, description: str
) -> JournalEntry:
    """Money received on debt already written off (from the agency, or the
    customer): cash against bad debt. The account's balance does not change.
    Refused beyond what was written off less what was recovered before."""
    amount = to_money(amount)
    refuse_future("on", on, "Received on")
    if not description.strip():
        raise ValidationError({"description": "Say where the money came from."})
    reject_card_numbers(description=description)
    Account.objects.select_for_update().get(pk=account.pk)
    left = recoverable(account.pk)
    if not ZERO < amount <= left:
        raise ValidationError(
            {
                "amount": f"{money_text(left)} of the account's written-off debt is not yet recovered; "
                "record more than $0.00, up to that."
            }
        )
    chart = GLChart()
    return entry_post(
        kind=JournalEntry.Kind.RECOVERY,
        effective_on=on,
        description=f"Recovery of written-off debt: {description.strip()}",
        legs=[
            Leg(chart.get(GLAccount.Purpose.CASH), amount),
            Leg(chart.get(GLAccount.Purpose.BAD_DEBT), -amount, account.pk),
        ],
        account=account,
        created_by=by,
    )

"""What follows a final bill: a credit balance is refunded (a supervisor
approves it in cashiering), a debit balance goes to Credit Services'
final-bill collection."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Account
from accounts.selectors import account_balance
from cashiering.services.refunds import refund_request
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.money import ZERO
from staffing.models import Section
from staffing.services import work_item_open

FINAL_BILL_COLLECTION = "final_bill_collection"


@transaction.atomic
def final_bill_settle(*, account: Account, bill_id: int | None, by) -> str:
    """Refund, collect or close, by the balance after the final bill and the
    deposit. Safe to run twice: the refund and the work item are keyed."""
    balance = account_balance(account.pk)
    if balance < ZERO:
        if not account.refunds.filter(reason__startswith="Final bill credit").exists():
            refund_request(
                account=account,
                amount=-balance,
                reason=f"Final bill credit balance (bill {bill_id})",
                requested_by=by,
            )
        return "refund"
    if balance > ZERO:
        work_item_open(
            kind=FINAL_BILL_COLLECTION,
            section=Section.CREDIT,
            title=f"Collect {money_text(balance)} final bill on {account.number}",
            account=account,
            details="Service has ended and the deposit has been applied; the balance is owed.",
            opened_by=by,
            source_key=f"final-bill:{account.pk}",
        )
        return "collection"
    return "closed"

"""The final bill, when the last open service on an account has ended: the
deposit is applied first (so the bill shows it), the stopped services are
billed to their final read, and the balance is refunded or collected."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Deposit, ServiceAgreement
from accounts.selectors import account_balance, deposit_liability
from accounts.services.deposits import deposit_release
from accounts.services.letters_flow import final_bill_letter
from accounts.services.orders import account_close, account_finalize, agreements_close
from billing.models import Bill
from billing.services.bills import BillingException, bill_issue, due_date
from billing.services.rates import ratebook_from_db
from billing.services.settlement import final_bill_settle
from mesa_cs.lib.money import ZERO
from mesa_cs.lib.system import system_user

Status = ServiceAgreement.Status


@transaction.atomic
def final_bill_issue(*, account_id: int, by=None, on: date | None = None) -> Bill | None:
    """Issue the account's final bill; None when its services were already
    billed through their last day. Refused while a service is still open.
    Running it again changes nothing."""
    by = by or system_user()
    account = Account.objects.select_for_update().get(pk=account_id)
    agreements = list(account.agreements.all())
    if any(sa.status in ServiceAgreement.OPEN_STATUSES for sa in agreements):
        raise BillingException("service is still open on this account: stop it first")
    ended = [sa for sa in agreements if sa.status == Status.FINAL]
    if not ended:
        return Bill.objects.filter(account=account, status=Bill.Status.ISSUED).first()
    period_end = max(sa.ends_on for sa in ended)
    bill_on = max(on or timezone.localdate(), period_end)
    applied = ZERO
    if account.deposits.filter(status=Deposit.Status.OPEN).exists():
        applied, _ = deposit_liability(account.pk)
        deposit_release(account=account, on=bill_on, outcome=Deposit.Status.APPLIED, by=by)
    account = account_finalize(account=account)
    bill = None
    if not Bill.objects.filter(
        account=account, status=Bill.Status.ISSUED, period_end__gte=period_end
    ).exists():
        bill = bill_issue(
            account=account,
            period_end=period_end,
            bill_on=bill_on,
            book=ratebook_from_db(),
            created_by=by,
        )
    agreements_close(account=account)
    outcome = final_bill_settle(account=account, bill_id=bill.pk if bill else None, by=by)
    final_bill_letter(
        account=account,
        amount_due=account_balance(account.pk),
        deposit_applied=applied,
        due_on=bill.due_on if bill else due_date(bill_on),
        stop_date=period_end,
        sent_by=by,
    )
    if outcome == "closed":
        account_close(account=account, on=bill_on)
    return bill


def accounts_awaiting_final_bill() -> list[int]:
    """Accounts with a stopped service and none open: the sweep's work."""
    return list(
        Account.objects.filter(agreements__status=Status.FINAL)
        .exclude(agreements__status__in=ServiceAgreement.OPEN_STATUSES)
        .values_list("pk", flat=True)
        .distinct()
    )

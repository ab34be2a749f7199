"""Refunds of credit balances, approved by a second person."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, GLAccount, JournalEntry
from accounts.selectors import account_aging
from accounts.services import Charge, charges_post
from cashiering.models import CreditRefund
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import to_money
from mesa_cs.lib.roles import Role, user_roles
from staffing.models import Section
from staffing.services import work_item_close_for_source, work_item_open


@transaction.atomic
def refund_request(*, account: Account, amount: Decimal, reason: str, requested_by) -> CreditRefund:
    amount = to_money(amount)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the credit is refunded."})
    reject_card_numbers(reason=reason)
    Account.objects.select_for_update().get(pk=account.pk)
    credit = account_aging(account.pk).credit
    if not 0 < amount <= credit:
        raise ValidationError(
            {"amount": f"The account's credit balance is {money_text(credit)}; refund up to that."}
        )
    refund = CreditRefund.objects.create(
        account=account, amount=amount, reason=reason.strip(), requested_by=requested_by
    )
    work_item_open(
        kind="refund_approval",
        section=Section.BUSINESS_OFFICE,
        title=f"Approve a {money_text(amount)} refund to {account.number}",
        account=account,
        details=reason,
        opened_by=requested_by,
        source_key=f"refund:{refund.pk}",
    )
    return refund


def _decide(refund_id: int, by) -> CreditRefund:
    refund = (
        CreditRefund.objects.select_for_update(of=("self",))
        .select_related("account")
        .get(pk=refund_id)
    )
    if refund.status != CreditRefund.Status.PENDING:
        raise ValidationError("This refund has already been decided.")
    if refund.requested_by_id == by.pk:
        raise ValidationError("Nobody approves their own refund; ask another person.")
    if not user_roles(by) & {Role.SUPERVISOR, Role.ADMINISTRATOR}:
        raise ValidationError("A supervisor approves refunds.")
    refund.decided_by, refund.decided_at = by, timezone.now()
    return refund


@transaction.atomic
def refund_approve(*, refund_id: int, by) -> CreditRefund:
    refund = _decide(refund_id, by)
    if account_aging(refund.account_id).credit < refund.amount:
        raise ValidationError(
            "The credit balance is now smaller than the refund; reject it and ask again."
        )
    refund.entry = charges_post(
        account=refund.account,
        kind=JournalEntry.Kind.REFUND,
        effective_on=timezone.localdate(),
        description=f"Refund of credit balance: {refund.reason}",
        charges=[Charge(refund.amount, revenue_purpose=GLAccount.Purpose.REFUNDS)],
        created_by=by,
        source_key=f"refund:{refund.pk}",
    )
    refund.status = CreditRefund.Status.APPROVED
    refund.save(update_fields=["status", "decided_by", "decided_at", "entry"])
    work_item_close_for_source(
        kind="refund_approval", source_key=f"refund:{refund.pk}", closed_by=by, outcome="Approved"
    )
    return refund


@transaction.atomic
def refund_reject(*, refund_id: int, by, why: str) -> CreditRefund:
    if not why.strip():
        raise ValidationError({"why": "Say why the refund is rejected."})
    reject_card_numbers(why=why)
    refund = _decide(refund_id, by)
    refund.status = CreditRefund.Status.REJECTED
    refund.save(update_fields=["status", "decided_by", "decided_at"])
    work_item_close_for_source(
        kind="refund_approval",
        source_key=f"refund:{refund.pk}",
        closed_by=by,
        outcome=f"Rejected: {why.strip()}"[:200],
    )
    return refund

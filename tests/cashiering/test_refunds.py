from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from accounts.selectors import account_balance
from accounts.services import payment_post
from cashiering.models import CreditRefund
from cashiering.services.refunds import refund_approve, refund_reject, refund_request
from mesa_cs.lib.roles import Role
from staffing.models import WorkItem
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def credit():
    account = AccountFactory()
    payment_post(account=account, amount=D("80.00"), effective_on=date(2026, 11, 1))
    return account


def test_a_credit_balance_is_refunded_after_a_supervisor_approves(credit, role_users):
    with pytest.raises(ValidationError, match="credit balance is \\$80.00"):
        refund_request(
            account=credit,
            amount=D("90"),
            reason="final bill paid twice",
            requested_by=role_users[Role.CASHIER],
        )
    refund = refund_request(
        account=credit,
        amount=D("80"),
        reason="final bill paid twice",
        requested_by=role_users[Role.CASHIER],
    )
    assert WorkItem.objects.filter(kind="refund_approval", status="open").exists()
    with pytest.raises(ValidationError, match="supervisor"):
        refund_approve(refund_id=refund.pk, by=role_users[Role.CLERK])
    refund_approve(refund_id=refund.pk, by=role_users[Role.SUPERVISOR])
    refund.refresh_from_db()
    assert refund.status == CreditRefund.Status.APPROVED
    assert account_balance(credit.pk) == D("0.00")
    assert not WorkItem.objects.filter(kind="refund_approval", status="open").exists()


def test_nobody_approves_their_own_refund(credit, role_users):
    supervisor = role_users[Role.SUPERVISOR]
    refund = refund_request(
        account=credit, amount=D("10"), reason="overpaid", requested_by=supervisor
    )
    with pytest.raises(ValidationError, match="own refund"):
        refund_approve(refund_id=refund.pk, by=supervisor)
    refund_reject(
        refund_id=refund.pk,
        by=role_users[Role.ADMINISTRATOR],
        why="customer asked to keep the credit",
    )
    assert CreditRefund.objects.get().status == CreditRefund.Status.REJECTED
    assert account_balance(credit.pk) == D("-80.00")

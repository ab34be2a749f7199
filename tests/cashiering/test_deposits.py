from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cashiering.models import TenderSource
from cashiering.services.deposits import daily_cash_report, deposit_prepare
from cashiering.services.drawers import shift_close, shift_open
from cashiering.services.payments import TenderLine, payment_take
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_closed_shifts_go_to_the_bank_once(role_users):
    cashier = role_users[Role.CASHIER]
    shift = shift_open(
        source=TenderSource.objects.get(code="MAIN"), cashier=cashier, opening_float=D("100")
    )
    account = AccountFactory()
    payment_take(
        source=shift.source, shift=shift, received_on=timezone.localdate(),
        tenders=[TenderLine("CASH", D("50")), TenderLine("CHECK", D("25"), "11")],
        allocations=[(account, D("75"))], idempotency_key="d1",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Only closed"):
        deposit_prepare(shift_ids=[shift.pk], prepared_by=cashier)
    shift_close(
        shift_id=shift.pk, cashier=cashier, denominations={"100": 1, "50": 1}, checks=[D("25")]
    )
    deposit = deposit_prepare(shift_ids=[shift.pk], prepared_by=role_users[Role.SUPERVISOR])
    assert (deposit.cash, deposit.checks) == (D("50.00"), D("25.00"))
    with pytest.raises(ValidationError, match="already in a deposit"):
        deposit_prepare(shift_ids=[shift.pk], prepared_by=cashier)
    report = daily_cash_report(timezone.localdate())
    assert {(r["tender"], r["amount"]) for r in report} == {
        ("Cash", D("50.00")),
        ("Check", D("25.00")),
    }

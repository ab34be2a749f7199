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
        source=shift.source,
        shift=shift,
        received_on=timezone.localdate(),
        tenders=[TenderLine("CASH", D("50")), TenderLine("CHECK", D("25"), "11")],
        allocations=[(account, D("75"))],
        idempotency_key="d1",
    )
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


def test_payment_files_reconcile_to_bank_credits(role_users):
    from datetime import date

    from cashiering.services.deposits import bank_credit_record, file_reconciliation
    from cashiering.services.payment_files import payment_file_import
    from tests.cashiering.test_payment_files import remit

    account = AccountFactory()
    payment_file_import(
        content=remit(
            "H,LBX-R,2026-03-02,LOCKBOX",
            f"P,RC-1,{account.number},60.00,CHECK,1,x",
            "P,RC-2,1234567890,15.00,CHECK,2,y",
            "T,2,75.00,0,0",
        ),
        name="r.csv",
    )
    bank_credit_record(
        source=TenderSource.objects.get(code="LOCKBOX"),
        day=date(2026, 3, 2),
        amount=D("70.00"),
        prepared_by=role_users[Role.SUPERVISOR],
    )
    [row] = file_reconciliation(date(2026, 3, 1), date(2026, 3, 31))
    assert (row["files"], row["bank"], row["difference"]) == (D("75.00"), D("70.00"), D("-5.00"))


def test_the_daily_cash_report_counts_cash_net_of_the_change_given(role_users):
    """A $100 note for a $68.71 bill leaves $68.71 in the till, and that is
    what the day's cash goes to the bank as; the report must agree with it."""
    cashier = role_users[Role.CASHIER]
    shift = shift_open(
        source=TenderSource.objects.get(code="MAIN"), cashier=cashier, opening_float=D("100")
    )
    payment_take(
        source=shift.source,
        shift=shift,
        received_on=timezone.localdate(),
        tenders=[TenderLine("CASH", D("100")), TenderLine("CHECK", D("25"), "12")],
        allocations=[(AccountFactory(), D("93.71"))],
        idempotency_key="change-1",
    )
    report = daily_cash_report(timezone.localdate())
    assert {(r["tender"], r["amount"]) for r in report} == {
        ("Cash", D("68.71")),
        ("Check", D("25.00")),
    }

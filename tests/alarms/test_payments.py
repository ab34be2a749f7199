"""An alarm invoice is paid like any bill: at the counter's ledger service
and through the banks' payment files, to the alarm account's number."""

from decimal import Decimal

import pytest

from accounts.selectors.ledger import account_balance
from alarms.models import AlarmInvoice
from alarms.selectors.permits import invoice_open_amount
from cashiering.services.payment_files import payment_file_import

pytestmark = pytest.mark.django_db


def test_a_lockbox_file_pays_the_permit_fee(make_permit, on_today):
    permit = make_permit()
    invoice = AlarmInvoice.objects.get(permit=permit)
    assert invoice_open_amount(invoice) == Decimal("20.00")
    content = (
        "H,LBX-ALARM-01,2026-11-30,LOCKBOX\n"
        f"P,ITEM-1,{permit.account.number},20.00,CHECK,1042,Maria Gonzales\n"
        "T,1,20.00,0,0.00\n"
    ).encode()
    _, outcome = payment_file_import(content=content, name="lbx.csv")
    assert outcome.status == "accepted", outcome.as_dict()
    assert outcome.as_dict()["payments"]["posted"] == {"count": 1, "amount": "20.00"}
    assert account_balance(permit.account_id) == Decimal("0.00")
    assert invoice_open_amount(invoice) == Decimal("0.00")

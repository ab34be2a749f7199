"""A bill says whether it is open, partly paid or paid (issue 13 item 6),
read from the ledger's open items: credits pay the oldest charges first."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.selectors import account_balance
from accounts.services import payment_post
from billing.models import Bill
from billing.selectors.bills import bills_for_account, bills_paid_state
from billing.services.runs import bill_run_start, bill_run_work
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.roles import Role
from tests.billing.conftest import BILL_ON

pytestmark = pytest.mark.django_db


@pytest.fixture
def bill(billable_city):
    billable_city(3)
    bill_run_work(bill_run_start(cycle=None, bill_on=BILL_ON).pk)
    bill = Bill.objects.filter(run__isnull=False).order_by("pk").first()
    # What was owed before this bill is paid, so only the bill is open.
    before = account_balance(bill.account_id) - bill.current_charges
    if before > 0:
        payment_post(account=bill.account, amount=before, effective_on=BILL_ON)
    return bill


def state(bill):
    bill = Bill.objects.get(pk=bill.pk)
    bills_paid_state([bill])
    return bill.paid


def test_a_bill_is_open_then_partly_paid_then_paid(bill):
    assert (state(bill).label, state(bill).open) == ("Open", bill.current_charges)
    payment_post(account=bill.account, amount=D("10.00"), effective_on=date(2026, 11, 5))
    assert state(bill).label == "Partly paid"
    assert state(bill).open == bill.current_charges - D("10.00")
    payment_post(
        account=bill.account,
        amount=bill.current_charges - D("10.00"),
        effective_on=date(2026, 11, 6),
    )
    assert (state(bill).label, state(bill).open) == ("Paid", 0)


def test_the_bills_tab_and_the_bill_page_show_the_state(client_as, bill):
    payment_post(account=bill.account, amount=D("10.00"), effective_on=date(2026, 11, 5))
    client = client_as(Role.BILLING)
    page = client.get(reverse("billing:bill", args=[bill.pk])).content.decode()
    assert ">Partly paid</span>" in page
    assert (
        f"{money_text(bill.current_charges - D('10.00'))} of {money_text(bill.current_charges)} still open"
        in page
    )
    tab = client.get(reverse("accounts:tab", args=[bill.account.number, "bills"])).content.decode()
    assert ">Partly paid</span>" in tab
    assert [b.paid.label for b in bills_for_account(bill.account) if b.pk == bill.pk] == [
        "Partly paid"
    ]


def test_a_cancelled_bill_says_cancelled_and_its_rebill_carries_the_charges(bill):
    from billing.services.adjustments import bill_cancel_rebill
    from billing.services.rates import ratebook_from_db
    from tests.factories import UserFactory

    rebill = bill_cancel_rebill(
        bill_id=bill.pk, reason="Wrong read", by=UserFactory(), book=ratebook_from_db()
    )
    assert state(bill).label == "Cancelled"
    assert state(rebill).label == "Open"

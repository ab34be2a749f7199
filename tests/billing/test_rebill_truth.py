"""A corrected bill (cancel and rebill) asks for what the account owes when
it is issued, and its summary adds up to it from the last bill still standing:
previous balance + payments + fees and adjustments + current charges."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from accounts.rules.scanline import parse_scan_line, scan_line
from accounts.selectors import account_balance, account_history
from accounts.services import Charge, charges_post
from billing.models import Bill
from billing.services.adjustments import bill_cancel_rebill
from billing.services.rates import ratebook_from_db
from billing.services.runs import bill_run_start, bill_run_work
from tests.billing.conftest import BILL_ON
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def rebill(bill):
    return bill_cancel_rebill(
        bill_id=bill.pk, reason="read corrected", by=UserFactory(), book=ratebook_from_db()
    )


def assert_tells_the_truth(new):
    today = timezone.localdate()
    owed = account_balance(new.account_id, as_of=today)
    assert new.amount_due == owed == account_balance(new.account_id)
    assert (
        new.previous_balance + new.payments + new.other_charges + new.current_charges
        == new.amount_due
    )
    # The History tab's balance after the corrected bill is its amount due.
    row = next(r for r in account_history(new.account_id) if r.entry_id == new.entry_id)
    assert row.running_balance == new.amount_due
    assert parse_scan_line(scan_line(new.account.number, new.amount_due))[1] == max(owed, D(0))


@pytest.fixture
def billed(billable_city):
    """A city billed on 10/31 (after history bills in August and September)."""
    billable_city(2)
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    bill_run_work(run.pk)
    return Bill.objects.filter(run=run).order_by("pk").first()


def test_a_rebill_after_a_fee_posted_after_the_bill_starts_from_the_bill_before(billed):
    previous = (
        Bill.objects.filter(account=billed.account, bill_on__lt=billed.bill_on)
        .order_by("-bill_on")
        .first()
    )
    charges_post(
        account=billed.account,
        kind="fee",
        effective_on=billed.due_on + timedelta(days=1),
        description="Late fee",
        charges=[Charge(D("5.00"), revenue_purpose="fees")],
    )
    new = rebill(billed)
    assert_tells_the_truth(new)
    # The cancelled bill and its reversal cancel out; the fee is a fee.
    assert new.previous_balance == previous.amount_due
    assert new.other_charges == D("5.00")
    assert new.current_charges == billed.current_charges
    assert new.amount_due == billed.amount_due + D("5.00")


def test_a_rebill_of_an_earlier_bill_starts_from_the_later_bill(billed):
    earlier = (
        Bill.objects.filter(account=billed.account, bill_on__lt=billed.bill_on)
        .order_by("-bill_on")
        .first()
    )
    new = rebill(earlier)
    assert_tells_the_truth(new)
    # The customer's last statement is the 10/31 bill: start from it, credit
    # the cancelled bill and charge the corrected one.
    assert new.previous_balance == billed.amount_due
    assert new.payments == D("0")
    assert new.other_charges == -earlier.current_charges
    assert new.current_charges == earlier.current_charges
    assert new.amount_due == billed.amount_due


def test_the_bill_gives_the_past_due_of_the_aging_on_its_date(billed):
    from accounts.selectors import account_aging
    from billing.pdf import bill_messages

    charges_post(
        account=billed.account,
        kind="fee",
        effective_on=billed.due_on + timedelta(days=1),
        due_on=billed.due_on + timedelta(days=1),
        description="Notice",
        charges=[Charge(D("3.00"), revenue_purpose="fees")],
    )
    new = rebill(billed)
    past_due = account_aging(new.account_id, as_of=new.bill_on).past_due
    assert past_due == D("3.00")  # the cancelled bill's charges are due again later
    assert "$3.00 of your balance is past due." in " ".join(bill_messages(new))

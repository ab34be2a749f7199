"""A credit representative makes a payment arrangement in the browser, by
keyboard: the account is eligible, the down payment and installments are
entered, and the schedule shows each installment billed in its month."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import JournalEntry
from accounts.selectors import account_aging, account_balance
from accounts.services import Charge, charges_post
from credit.models import Hold, PaymentArrangement
from tests.e2e.conftest import assert_page_is_accessible, sign_in
from tests.factories import AccountFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def behind():
    today = timezone.localdate()
    account = AccountFactory(name="Dana Whitfield")
    charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=today - timedelta(days=45),
        due_on=today - timedelta(days=24),
        description="Bill",
        charges=[Charge(D("260.00"), "electric", "E1.1")],
    )
    return account


def test_a_credit_representative_makes_an_arrangement_in_the_browser(
    role_users, behind, live_server, page, console_errors
):
    sign_in(page, live_server, "credit")
    page.goto(f"{live_server.url}/credit/")
    page.get_by_role("link", name="Payment arrangements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Payment arrangements")
    assert_page_is_accessible(page)

    page.goto(f"{live_server.url}/credit/accounts/{behind.number}/arrangement/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dana Whitfield")
    expect(page.locator("main")).to_contain_text("Eligible for a payment arrangement")
    expect(page.locator(".money-summary")).to_contain_text("260.00")
    assert_page_is_accessible(page)

    page.get_by_label("Monthly installments").select_option("4")
    page.get_by_label("Down payment (due today)").fill("60.00")
    page.keyboard.press("Enter")

    expect(page.locator(".alert-success")).to_contain_text("$260.00 over 4 months")
    schedule = page.get_by_role("table", name="Installments, each billed with its month's bill")
    expect(schedule.get_by_role("row")).to_have_count(6)  # the header, the down payment, 4 months
    expect(schedule).to_contain_text("Down payment")
    expect(schedule).to_contain_text("Installment 4")
    expect(schedule).to_contain_text("50.00")
    assert_page_is_accessible(page)

    made = PaymentArrangement.objects.get(account=behind)
    assert (made.amount, made.down_payment, made.months) == (D("260.00"), D("60.00"), 4)
    assert made.made_by.username == "credit" and made.status == "active"
    assert account_aging(behind.pk).past_due == D("0.00")
    assert account_balance(behind.pk) == D("260.00")
    assert Hold.objects.filter(source_key=f"arrangement:{made.pk}", released_on=None).exists()
    assert console_errors == []

"""Start → bill → stop → final bill → deposit applied → refund, in the browser:
a clerk starts service, the crew's turn-on is entered, the month is billed,
the clerk stops service, the final read is entered, the final bill applies
the deposit, and a supervisor approves the refund of the credit left over."""

from datetime import date
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from accounts.models import Account, MeterInstallation
from accounts.selectors import account_balance, deposit_held
from accounts.services import meter_read_add, payment_post
from billing.rules.ratebook import shipped_ratebook
from billing.services.bills import bill_issue
from billing.services.rates import ratebook_from_db, ratebook_load
from cashiering.models import CreditRefund
from tests.accounts.test_service_lifecycle import metered_home
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def complete_field_order(page, live_server, day, register):
    page.goto(f"{live_server.url}/accounts/field/?day={day}")
    page.get_by_role("link", name="Enter completion").first.click()
    page.get_by_label("Register read").fill(register)
    page.get_by_role("button", name="Record completion").click()
    expect(page.locator(".alert-success")).to_contain_text("completed")


def test_start_bill_stop_final_bill_deposit_refund_in_the_browser(
    role_users, live_server, page, console_errors, eager_tasks
):
    ratebook_load(shipped_ratebook())
    metered_home("2255 E Brown Rd", "W55500201")
    sign_in(page, live_server, "clerk")

    # Start service for a new customer.
    page.goto(f"{live_server.url}/accounts/")
    page.get_by_role("link", name="Start service").click()
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Reyes")
    page.get_by_label("Phone", exact=True).fill("480-555-0101")
    page.get_by_label("Identity document").select_option("dl")
    page.get_by_label("Identity, last 4 digits").fill("4321")
    page.get_by_role("button", name="Add customer and continue").click()
    page.get_by_label("Service address").fill("2255 e brown rd")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Choose 2255 E Brown Rd").click()
    expect(page.get_by_label("Start date")).to_be_visible()
    assert_page_is_accessible(page)
    page.get_by_label("Water", exact=True).check()
    page.get_by_label("Water rate schedule", exact=True).select_option("W1.1")
    page.get_by_label("Solid waste", exact=True).check()
    page.get_by_label("Solid waste rate schedule").select_option("SW1.1")
    page.get_by_label("Start date").fill("2026-10-01")
    page.get_by_role("button", name="Review fees and deposit").click()
    review = page.get_by_role("region", name="Fees and deposit")
    expect(review).to_contain_text("31.00")
    expect(review).to_contain_text("50.00")
    page.get_by_role("button", name="Start service", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("opened; fees $31.00. Deposit $50.00")
    account = Account.objects.get(links__person__last_name="Reyes")

    # The crew turns the water on; the customer pays; October is billed and paid.
    complete_field_order(page, live_server, "2026-10-01", "1000")
    payment_post(account=account, amount=D("81.00"), effective_on=date(2026, 10, 1))
    meter_read_add(
        installation=MeterInstallation.objects.get(meter__number="W55500201"),
        read_on=date(2026, 10, 31),
        register=D("1006"),
        source="test",
    )
    october = bill_issue(
        account=account,
        period_end=date(2026, 10, 31),
        bill_on=date(2026, 11, 2),
        book=ratebook_from_db(),
    )
    # Paid with $25.00 extra, so something is left to refund after the final bill.
    payment_post(
        account=account, amount=october.amount_due + D("25.00"), effective_on=date(2026, 11, 10)
    )
    assert deposit_held(account.pk) == D("50.00")

    # The clerk stops service; the crew's final read brings the final bill.
    page.goto(f"{live_server.url}/accounts/{account.number}/")
    page.get_by_role("link", name="Stop service").click()
    page.get_by_label("Stop date").fill("2026-11-20")
    page.get_by_role("button", name="Stop service").click()
    expect(page.locator(".alert-success")).to_contain_text("final read order(s) sent")
    complete_field_order(page, live_server, "2026-11-20", "1010")

    page.goto(f"{live_server.url}/accounts/{account.number}/?tab=bills")
    expect(page.locator("main")).to_contain_text("Final billed")
    expect(page.locator(".money-summary")).to_contain_text("0.00")
    final = account.bills.get(period_end=date(2026, 11, 20))
    assert final.other_charges == D("-50.00") and final.amount_due < 0
    assert account_balance(account.pk) == final.amount_due
    page.goto(f"{live_server.url}/accounts/{account.number}/?tab=deposits")
    expect(page.locator("main")).to_contain_text("Applied to the final bill")

    # A supervisor approves the refund of what is left.
    page.context.clear_cookies()
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/cashiering/refunds/")
    expect(page.locator("main")).to_contain_text(account.number)
    page.get_by_role("button", name="Approve").first.click()
    expect(page.locator(".alert-success")).to_contain_text("Refund decided.")
    refund = CreditRefund.objects.get(account=account)
    assert refund.status == "approved" and refund.amount == -final.amount_due
    assert account_balance(account.pk) == D("0.00")
    assert console_errors == []

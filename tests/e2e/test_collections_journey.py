"""From notice to disconnect to payment to reconnect, in the browser: a
credit representative runs the day's ladder, the crew's disconnection is
entered, a cashier takes the past due at the counter, and the reconnect order
that payment raised is completed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import FieldActivity
from credit.services.collections import collections_run
from tests.credit.test_collections import DISCONNECT, DUE, ELIGIBLE, NOTICE, REMINDER, delinquent
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def enter_completion(page, live_server, day, kind, register):
    page.goto(f"{live_server.url}/accounts/field/?day={day.isoformat()}&kind={kind}")
    page.get_by_role("link", name="Enter completion").first.click()
    page.get_by_label("Register read").fill(register)
    page.get_by_role("button", name="Record completion").click()
    expect(page.locator(".alert-success")).to_contain_text("completed")


def test_notice_disconnect_payment_reconnect(
    role_users, live_server, page, console_errors, eager_tasks
):
    today = timezone.localdate()
    shift = today - DISCONNECT  # the ladder's days, moved so the disconnect is due today
    account = delinquent(due=DUE + shift)
    for day in (REMINDER, NOTICE, ELIGIBLE):
        collections_run(on=day + shift)

    sign_in(page, live_server, "credit")
    page.goto(f"{live_server.url}/credit/collections/")
    assert_page_is_accessible(page)
    expect(page.locator("main")).to_contain_text(account.number)
    expect(page.locator("main")).to_contain_text("Eligible for disconnection")
    page.get_by_label("Run collections for").fill(today.isoformat())
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("are running")
    page.goto(f"{live_server.url}/accounts/{account.number}/?tab=collections")
    expect(page.locator("main")).to_contain_text("Disconnect order")

    # The crew disconnects; the representative enters it from the crew sheet.
    enter_completion(page, live_server, today, "disconnect", "0")
    page.goto(f"{live_server.url}/accounts/{account.number}/")
    expect(page.locator("main")).to_contain_text("Disconnected for non-payment")

    # The customer pays the past due and the notice charge at the counter.
    page.context.clear_cookies()
    sign_in(page, live_server, "cashier")
    page.goto(f"{live_server.url}/cashiering/")
    page.get_by_label("Drawer*").select_option(label="Main counter drawer")
    page.get_by_label("Opening float*").fill("100.00")
    page.get_by_role("button", name="Open drawer").click()
    page.get_by_label("Account 1 (number or bill stub scan line)").fill(account.number)
    page.keyboard.press("Tab")
    page.get_by_label("Amount for account 1").fill("215.40")
    page.get_by_label("Tender 1", exact=True).select_option("CASH")
    page.get_by_label("Tender 1 amount").fill("220.00")
    page.get_by_role("button", name="Post payment").click()
    # The counter's live panel says "Change due" too: wait for the receipt.
    expect(page).to_have_url(re.compile(r"/receipt/$"))
    expect(page.get_by_text("Change", exact=True)).to_be_visible()

    # The payment raised the reconnect order; the crew's reconnection is entered.
    reconnect = FieldActivity.objects.get(account=account, kind="reconnect")
    assert reconnect.scheduled_on in (today, today + timedelta(days=1))
    page.context.clear_cookies()
    sign_in(page, live_server, "credit")
    enter_completion(page, live_server, reconnect.scheduled_on, "reconnect", "0")
    assert account.agreements.get().status == "active"
    assert account.entries.filter(description="Field trip charge (reconnect)").exists()
    assert console_errors == []

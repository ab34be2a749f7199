"""A clerk starts service and orders field work in the browser: the review
says what to collect today, the header says what still waits for the crew,
and meter work is offered only on a service with a meter."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Account
from billing.rules.ratebook import shipped_ratebook
from billing.services.rates import ratebook_load
from tests.accounts.test_service_lifecycle import metered_home
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("test-results/start-and-field-orders")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_start_review_header_and_meter_work_in_the_browser(
    role_users, live_server, page, console_errors
):
    ratebook_load(shipped_ratebook())
    metered_home("2255 E Brown Rd", "W55500211")
    sign_in(page, live_server, "clerk")

    page.goto(f"{live_server.url}/accounts/start/")
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Reyes")
    expect(page.get_by_label("State")).to_have_value("AZ")
    page.get_by_role("button", name="Add customer and continue").click()
    page.get_by_label("Service address").fill("2255 e brown rd")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Choose 2255 E Brown Rd").click()
    page.get_by_label("Water", exact=True).check()
    page.get_by_label("Water rate schedule", exact=True).select_option("W1.1")
    page.get_by_label("Solid waste", exact=True).check()
    page.get_by_label("Solid waste rate schedule").select_option("SW1.1")
    page.get_by_label("Deposit paid in").select_option(label="2 monthly installments")
    page.get_by_role("button", name="Review fees and deposit").click()
    review = page.get_by_role("region", name="Fees and deposit")
    expect(review.get_by_role("row", name="Total to collect today")).to_contain_text("$56.00")
    expect(review).to_contain_text("Deposit due now (installment 1 of 2)")
    shot(page, "start-review")
    assert_page_is_accessible(page)
    page.get_by_role("button", name="Start service", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("opened")
    account = Account.objects.get(links__person__last_name="Reyes")

    # The water waits for its turn-on; the trash service is on.
    expect(page.get_by_text("Pending turn-on: Water")).to_be_visible()
    shot(page, "account-header")

    page.goto(f"{live_server.url}/accounts/{account.number}/field/new/")
    service = page.get_by_label("Service")
    trash = service.locator("option", has_text="Solid waste")
    expect(trash).to_contain_text("(no meter)")
    page.get_by_label("Work").select_option(label="Re-read")
    expect(trash).to_be_disabled()
    expect(service).to_have_value(str(account.agreements.get(utility="water").pk))
    page.get_by_label("Work").select_option(label="High-bill investigation")
    expect(trash).to_be_enabled()
    service.select_option(label=trash.inner_text())
    shot(page, "field-order")
    assert_page_is_accessible(page)
    page.get_by_role("button", name="Order").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "High-bill investigation, solid waste, ordered for"
    )
    assert console_errors == []

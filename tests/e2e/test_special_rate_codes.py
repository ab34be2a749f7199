"""An EMS clerk bills an HOA contract in the browser (issue 15 item 3): from
the Solid Waste page, create an HOA contract code from SW1.1, lower its
barrel price in the rate editor, put it in force, put an account's
solid-waste service on it; then the bill calculator and the account's next
bill price with it and show its code."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from billing.rules.ratebook import shipped_ratebook
from billing.services.rates import ratebook_load
from tests.billing.test_special_rate_codes import bill_november, billed_through_october
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/ratecodes")


def test_an_ems_clerk_bills_an_hoa_contract_on_its_own_code(
    role_users, live_server, page, console_errors
):
    ratebook_load(shipped_ratebook())
    account, sa, _ = billed_through_october(containers=1)
    SHOTS.mkdir(parents=True, exist_ok=True)

    sign_in(page, live_server, "ems")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Solid Waste").click()
    expect(page.get_by_text("Ordinance references")).to_be_visible()
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-solidwaste-home.png"), full_page=True)
    page.get_by_role("link", name="Special rate codes").click()
    page.get_by_role("link", name="New special rate code").click()
    assert_page_is_accessible(page)

    page.get_by_label("Code").fill("SW-HOA1")
    page.get_by_label("Name").fill("Desert Vista HOA barrels")
    page.get_by_label("Start from").select_option("SW1.1")
    page.get_by_label("Situation").select_option(label="HOA contract")
    page.get_by_label("Effective date").fill("2026-11-01")
    page.get_by_label("Reason").fill("Desert Vista HOA contract of 10/14/2026, one pickup point")
    page.screenshot(path=str(SHOTS / "e2e-new-code.png"), full_page=True)
    page.get_by_role("button", name="Create the code and set its prices").click()

    expect(page.locator(".alert-success")).to_contain_text("SW-HOA1 created from SW1.1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft: SW-HOA1")
    assert_page_is_accessible(page)
    barrel = page.locator("input[value='30.90']")
    expect(barrel).to_have_count(1)
    barrel.fill("24.50")
    barrel.press("Enter")  # previews against SW1.1, what the services pay now
    sample = page.locator("#preview-table tr", has_text="0 container").first
    expect(sample).to_contain_text("$30.90")
    expect(sample).to_contain_text("$24.50")
    page.screenshot(path=str(SHOTS / "e2e-editor.png"), full_page=True)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("saved")
    page.get_by_role("button", name="Put in force from 11/01/2026").click()
    expect(page.locator(".alert-success")).to_contain_text("is in force")

    page.get_by_role("link", name="Its page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SW-HOA1")
    page.get_by_label("Account number").fill(account.number)
    page.get_by_role("button", name="Find its solid-waste services").click()
    page.get_by_role("button", name="Put on SW-HOA1").click()
    expect(page.locator(".alert-success")).to_contain_text("is now on SW-HOA1")
    expect(page.get_by_role("table").first).to_contain_text(account.number)
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-code-page.png"), full_page=True)
    sa.refresh_from_db()
    assert sa.rate_schedule == "SW-HOA1"

    # The bill run prices the account's next bill; a billing specialist looks.
    november = bill_november(account)
    page.context.clear_cookies()
    sign_in(page, live_server, "billing")
    page.goto(f"{live_server.url}/billing/calculator/")
    form = page.locator("form", has=page.get_by_role("button", name="Calculate"))
    form.get_by_label("Rate schedule").select_option("SW-HOA1")
    form.get_by_label("Previous read date").fill("2026-10-31")
    form.get_by_label("This read date").fill("2026-11-30")
    form.get_by_label("Containers").fill("1")
    form.get_by_role("button", name="Calculate").click()
    expect(page.locator("#calculation tfoot")).to_contain_text("$24.50")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-calculator.png"), full_page=True)

    page.goto(f"{live_server.url}/billing/bills/{november.pk}/")
    expect(page.get_by_text("SW-HOA1").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("$24.50")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-bill.png"), full_page=True)

    page.goto(f"{live_server.url}/billing/special-codes/")
    row = page.get_by_role("row", name="SW-HOA1")
    expect(row).to_contain_text("HOA contract")
    expect(row).to_contain_text("11/01/2026")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-list.png"), full_page=True)
    assert console_errors == []

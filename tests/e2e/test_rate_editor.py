"""A billing specialist's rate change in the browser (issue 15 item 7): start
a new version of W1.1 from the current one, change a block's price, preview
sample bills before and after, save, put it in force, and see the bill
calculator price with it after its effective date and not before."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from billing.models import RateVersion
from billing.rules.ratebook import shipped_ratebook
from billing.services.rates import ratebook_load
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/ratedit")


def _calculate(page, start: date, end: date):
    form = page.locator("form", has=page.get_by_role("button", name="Calculate"))
    form.get_by_label("Rate schedule").select_option("W1.1")
    form.get_by_label("Previous read date").fill(start.isoformat())
    form.get_by_label("This read date").fill(end.isoformat())
    form.get_by_label("Usage").fill("5")
    form.get_by_label("Meter size").select_option("3/4")
    form.get_by_label("Usage").press("Enter")


def test_a_billing_specialist_changes_a_water_price_from_a_date(
    role_users, live_server, page, console_errors
):
    ratebook_load(shipped_ratebook())
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, "billing")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Billing").click()
    page.get_by_role("link", name="Rate book").click()
    assert_page_is_accessible(page)
    page.get_by_role("link", name="W1.1", exact=True).click()
    assert_page_is_accessible(page)
    effective = date.fromisoformat(page.get_by_label("Effective date").input_value())
    page.get_by_role("button", name="Start new version from current").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft: W1.1 Residential Water")
    assert_page_is_accessible(page)
    preview = page.locator("#preview-table")
    expect(preview.locator("tr", has_text="5 kgal")).to_contain_text("$40.46")
    price = page.get_by_label("Water usage, block 2: Price")
    expect(price).to_have_value("3.48")
    price.fill("3.60")
    price.press("Enter")  # Enter previews; it saves nothing
    sample = page.locator("#preview-table tr", has_text="5 kgal")
    expect(sample).to_contain_text("$40.46")
    expect(sample).to_contain_text("$40.72")
    expect(sample).to_contain_text("$0.26")
    page.get_by_text("Lines at 5 kgal").click()
    expect(page.get_by_text("2 kgal × 3.60").first).to_be_visible()
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-preview.png"), full_page=True)
    assert (
        RateVersion.objects.get(status="draft")
        .components.get(position=1)
        .spec["blocks"][1]["price"]
        == "3.48"
    )

    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("saved")
    expect(page.get_by_text("up to 7 kgal: 3.60")).to_be_visible()
    page.get_by_role("button", name=f"Put in force from {effective:%m/%d/%Y}").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("is in force")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-in-force.png"), full_page=True)

    page.goto(f"{live_server.url}/billing/calculator/")
    _calculate(page, effective + timedelta(days=4), effective + timedelta(days=34))
    result = page.locator("#calculation")
    expect(result).to_contain_text("2 kgal × 3.60")
    expect(result.locator("tfoot")).to_contain_text("$40.72")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-calculator-after.png"), full_page=True)
    _calculate(page, effective - timedelta(days=31), effective - timedelta(days=1))
    expect(result).to_contain_text("2 kgal × 3.48")
    expect(result.locator("tfoot")).to_contain_text("$40.46")
    assert console_errors == []

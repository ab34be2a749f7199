"""An EMS clerk models a 3.5 % barrel increase in the browser (issue 15 item
4): from the Rate book, a new scenario on SW1.1 over the year of bills shows
the revenue and typical-bill impact; it is saved, compared with a second
scenario, and its council memo downloaded as PDF and Excel."""

import io
import subprocess
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.billing.test_rate_models import bill_three_barrel_accounts
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/ratemodel")


def _scenario(page, name, percent):
    page.get_by_role("link", name="New scenario").click()
    page.get_by_label("Scenario name").fill(name)
    page.get_by_label("Effective date").fill("2027-01-01")
    page.locator("#id_change-0-schedule").select_option("SW1.1")
    page.locator("#id_change-0-percent").fill(percent)
    page.get_by_role("button", name="Model and save").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Scenario “{name}” modelled and saved")


def test_an_ems_clerk_models_a_barrel_increase_and_downloads_the_memo(
    role_users, live_server, page, console_errors
):
    bill_three_barrel_accounts()
    SHOTS.mkdir(parents=True, exist_ok=True)

    sign_in(page, live_server, "ems")
    page.goto(f"{live_server.url}/billing/rates/")
    page.get_by_role("link", name="Rate models").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rate models")
    assert_page_is_accessible(page)
    page.get_by_role("link", name="New scenario").click()
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-new.png"), full_page=True)
    page.go_back()

    _scenario(page, "Barrels +3.5 %", "3.5")
    revenue = page.get_by_role("table", name="Revenue by schedule")
    row = revenue.get_by_role("row", name="SW1.1")
    expect(row).to_contain_text("$370.80")
    expect(row).to_contain_text("$383.76")
    expect(row).to_contain_text("$12.96")
    expect(row).to_contain_text("3.50 %")
    typical = page.get_by_role("table", name="Bill impact on typical customers")
    expect(typical).to_contain_text("$30.90")
    expect(typical).to_contain_text("$31.98")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-scenario.png"), full_page=True)

    memo = page.get_by_role("link", name="Council memo (PDF)").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{memo}")
    assert pdf.body().startswith(b"%PDF")
    (SHOTS / "memo.pdf").write_bytes(pdf.body())
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.body(), capture_output=True, check=True
    ).stdout.decode()
    assert "Barrels +3.5 %" in text and "$383.76" in text
    with page.expect_download() as download:
        page.get_by_role("link", name="Council memo (Excel)").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "Revenue by schedule" in book.sheetnames

    page.get_by_role("link", name="Rate models").click()
    _scenario(page, "Barrels +5 %", "5")
    page.get_by_role("link", name="Rate models").click()
    page.get_by_role("checkbox", name="Compare Barrels +3.5 %").check()
    page.get_by_role("checkbox", name="Compare Barrels +5 %").check()
    page.get_by_role("button", name="Compare the ticked scenarios").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare rate scenarios")
    table = page.get_by_role("table", name="Revenue change over the year of billing, by schedule")
    expect(table).to_contain_text("$12.96")
    expect(table).to_contain_text("$18.60")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-compare.png"), full_page=True)
    assert console_errors == []


def test_a_barrel_increase_is_modelled_approved_applied_and_prices_the_next_bill(
    role_users, live_server, page, console_errors
):
    """The issue's journey: model a 3.5 % barrel increase, download the memo,
    ask for approval; a supervisor approves it in the inbox; the next bill
    is priced by the new version."""
    from datetime import timedelta

    from billing.models import Bill, RateVersion
    from billing.services.bills import bill_issue
    from billing.services.rates import ratebook_from_db
    from mesa_cs.lib.dates import today
    from tests.billing.test_rate_models import month_ends

    accounts = bill_three_barrel_accounts()
    effective = month_ends(today())[-1] + timedelta(days=1)
    SHOTS.mkdir(parents=True, exist_ok=True)

    sign_in(page, live_server, "ems")
    page.goto(f"{live_server.url}/billing/rates/models/")
    page.get_by_role("link", name="New scenario").click()
    page.get_by_label("Scenario name").fill("FY27 barrels +3.5 %")
    page.get_by_label("Effective date").fill(effective.isoformat())
    page.locator("#id_change-0-schedule").select_option("SW1.1")
    page.locator("#id_change-0-percent").fill("3.5")
    page.get_by_role("button", name="Model and save").click()
    expect(page.get_by_role("table", name="Revenue by schedule")).to_contain_text("$12.96")
    memo = page.get_by_role("link", name="Council memo (PDF)").get_attribute("href")
    assert page.request.get(f"{live_server.url}{memo}").body().startswith(b"%PDF")

    expect(page.locator("#scenario-status")).to_contain_text("Modelled")
    page.get_by_label("Note for the approver").fill("Council adopted the FY27 rates")
    page.get_by_role("button", name="Ask for approval").click()
    expect(page.locator(".alert-success")).to_contain_text("waiting for a supervisor's approval")
    expect(page.locator("#scenario-status")).to_contain_text("Waiting for approval")
    expect(page.get_by_role("button", name="Ask for approval")).to_have_count(0)
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-asked.png"), full_page=True)

    page.context.clear_cookies()
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/staffing/approvals/")
    row = page.locator("tr[data-kind='rate_scenario']")
    expect(row).to_contain_text("FY27 barrels +3.5 %")
    expect(row).to_contain_text("SW1.1")
    expect(row).to_contain_text("$12.96")
    expect(row).to_contain_text("Council adopted the FY27 rates")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-inbox.png"), full_page=True)
    row.get_by_role("textbox").fill("Resolution 2026-114")
    row.get_by_role("button", name="Approve").click()
    expect(page.locator("tr[data-decided]")).to_contain_text("Approved")
    version = RateVersion.objects.get(scenario__name="FY27 barrels +3.5 %")
    assert version.effective == effective

    # The next month's bill (as the cycle's bill run issues it).
    end = (effective + timedelta(days=40)).replace(day=1) - timedelta(days=1)
    bill_issue(
        account=accounts[2],
        period_end=end,
        bill_on=end + timedelta(days=2),
        book=ratebook_from_db(),
    )
    bill = Bill.objects.get(account=accounts[2], period_end=end)
    page.goto(f"{live_server.url}/billing/rates/models/")
    page.get_by_role("link", name="FY27 barrels +3.5 %").click()
    expect(page.locator("#scenario-status")).to_contain_text("Approved and applied")
    expect(page.get_by_role("link", name="SW1.1 from")).to_be_visible()
    page.screenshot(path=str(SHOTS / "e2e-applied.png"), full_page=True)
    page.goto(f"{live_server.url}/billing/bills/{bill.pk}/")
    expect(page.locator("main")).to_contain_text("31.98 × 2 containers")
    expect(page.locator("main")).to_contain_text("$63.96")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-next-bill.png"), full_page=True)
    assert console_errors == []

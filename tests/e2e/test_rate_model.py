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

"""EMS route production in the browser: the clerk enters a crew sheet line,
imports the month's file (a bad line first, refused whole), reads the
productivity; a supervisor downloads the payroll export and the monthly
financial report's PDF. Screenshots in $MESA_SHOTS (/tmp/routes)."""

import csv
import io
import os
from datetime import timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from playwright.sync_api import expect

from solidwaste.models import CostRate, ProductionEntry
from tests.e2e.conftest import assert_page_is_accessible, sign_in
from tests.solidwaste.conftest import last_monday, make_fleet, production_csv

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("MESA_SHOTS", "/tmp/routes"))


def test_enter_import_read_kpis_and_download_the_reports(
    role_users, live_server, page, console_errors, tmp_path
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_fleet()
    monday = last_monday()
    tuesday = monday + timedelta(days=1)
    CostRate.objects.create(effective_on=monday - timedelta(days=60), cost_per_hour=D("140.00"))

    # The clerk keys in Monday's sheet for Ana on the residential route.
    sign_in(page, live_server, "ems")
    page.goto(f"{live_server.url}/solidwaste/")
    assert_page_is_accessible(page)
    page.get_by_role("link", name="Enter production").click()
    page.get_by_label("Work date").fill(str(monday))
    page.get_by_label("Route").select_option(label="RES-101 Dobson Ranch Mon")
    page.get_by_label("Truck").select_option(label="T-101")
    page.get_by_label("Operator").select_option(label="Ana Diaz (2001)")
    page.get_by_label("Lifts").fill("1040")
    page.get_by_label("Stops").fill("1000")
    page.get_by_label("Tons").fill("12.30")
    page.get_by_label("Hours").fill("9")
    page.get_by_label("Missed pickups").fill("2")
    page.get_by_label("Overtime on the crew sheet").fill("1")
    page.get_by_label("Overtime on the crew sheet").press("Enter")
    expect(page.get_by_text("Ana Diaz on RES-101").first).to_be_visible()
    expect(page.get_by_role("cell", name="1040")).to_be_visible()
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "entry.png"), full_page=True)

    # The rest of the week's sheets as a file: a slip on line 3 refuses it all.
    lines = [
        f"{monday},COM-201,T-201,2002,190,70,9.00,8,1,0",
        f"{tuesday},RES-101,T-101,2001,960,940,11.70,8,1,0",
        f"{tuesday},RES-101,T-101,2002,450,430,5.00,4,0,0",
    ]
    bad = tmp_path / "crew-sheets-bad.csv"
    bad.write_bytes(production_csv(lines[0], lines[1].replace(",960,", ",9x0,"), lines[2]))
    page.get_by_role("link", name="Solid Waste").first.click()
    page.get_by_role("link", name="Import production").click()
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Line 3: lifts '9x0' is not a whole number")).to_be_visible()
    expect(page.get_by_text("Nothing was recorded: 1 line to fix of 3 read.")).to_be_visible()
    assert ProductionEntry.objects.count() == 1
    page.screenshot(path=str(SHOTS / "import-refused.png"), full_page=True)
    good = tmp_path / "crew-sheets.csv"
    good.write_bytes(production_csv(*lines))
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("3 lines read: 3 recorded, 0 already recorded")).to_be_visible()
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "import-done.png"), full_page=True)

    # The productivity of those two days, by route.
    page.get_by_role("link", name="Productivity for those days").click()
    expect(page.get_by_role("heading", name="Productivity by route")).to_be_visible()
    # All: 2,640 lifts in 29 hours.
    expect(page.get_by_label("The period's figures").get_by_text("91.0")).to_be_visible()
    expect(page.locator("svg[role=img]")).to_have_count(2)
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "kpis.png"), full_page=True)
    page.get_by_label("By", exact=True).select_option("operator")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("cell", name="Ben Tso")).to_be_visible()
    page.screenshot(path=str(SHOTS / "kpis-by-operator.png"), full_page=True)
    page.context.clear_cookies()  # the supervisor at the next desk

    # The supervisor's month: the payroll export and the financial report.
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/solidwaste/")
    page.get_by_role("link", name="Payroll report").click()
    page.get_by_label("Report for").select_option("month")
    page.get_by_label("Day (any day of the month)").fill(str(monday))
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name=f"Payroll report, {monday:%B %Y}")).to_be_visible()
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "payroll.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Payroll export (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0] == ["employee_number", "name", "work_date", "pay_code", "hours", "routes"]
    assert ["2001", "Ana Diaz", str(monday), "OT", "1.00", "RES-101"] in rows
    assert ["2002", "Ben Tso", str(tuesday), "REG", "4.00", "RES-101"] in rows
    download.value.save_as(SHOTS / "payroll.csv")
    href = page.get_by_role("link", name="PDF").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (SHOTS / "payroll.pdf").write_bytes(pdf.body())

    page.get_by_role("link", name="Solid Waste").first.click()
    page.get_by_role("link", name="Financial performance").click()
    page.get_by_label("Day (any day of the month)").fill(str(monday))
    page.get_by_role("button", name="Show").click()
    expect(
        page.get_by_role("heading", name=f"Financial performance, {monday:%B %Y}")
    ).to_be_visible()
    # 29 hours at $140.00 = $4,060.00 for 38.00 tons: $106.84 a ton (the
    # cost table's total and the month's line of the trend).
    expect(page.get_by_role("cell", name="$4,060.00")).to_have_count(2)
    expect(page.get_by_role("cell", name="$106.84").first).to_be_visible()
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "financial.png"), full_page=True)
    href = page.get_by_role("link", name="Report PDF").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (SHOTS / "financial.pdf").write_bytes(pdf.body())
    assert console_errors == []

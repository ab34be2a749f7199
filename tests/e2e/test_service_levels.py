"""Contact-center service levels in the browser: a supervisor opens them
from the Supervision page, imports the phone system's file (a bad line
first, refused whole), and reads the figures against the targets, by day
and then by agent for one queue. Screenshots in $MESA_SHOTS (/tmp/calls)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from staffing.models import CallInterval
from tests.e2e.conftest import assert_page_is_accessible, sign_in
from tests.staffing.calls_files import HAND_CHECKED, interval_csv

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("MESA_SHOTS", "/tmp/calls"))


def test_a_supervisor_imports_call_data_and_reads_the_service_levels(
    role_users, live_server, page, console_errors, tmp_path
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/staffing/supervision/")
    page.get_by_role("link", name="Contact-center service levels").click()
    assert_page_is_accessible(page)
    page.get_by_role("link", name="import a file").click()

    bad = tmp_path / "bad.csv"
    bad.write_bytes(interval_csv(*HAND_CHECKED, "2026-11-03 08:15,billing,,3,4,0,0,0,0,0,0,"))
    page.get_by_label("Interval file (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    expect(
        page.get_by_text("Line 12: answered (4) and abandoned (0) are more than offered (3)")
    ).to_be_visible()
    assert not CallInterval.objects.exists()
    assert_page_is_accessible(page)

    good = tmp_path / "intervals-2026-11-02.csv"
    good.write_bytes(interval_csv(*HAND_CHECKED))
    page.get_by_label("Interval file (CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("10 lines read: 10 recorded")).to_be_visible()
    page.screenshot(path=str(SHOTS / "import.png"), full_page=True)
    page.get_by_role("link", name="Service levels for those days").click()

    expect(page.get_by_role("heading", name="Contact-center service levels by day")).to_be_visible()
    service_level = page.locator(".card", has_text="Service level")
    expect(service_level.first).to_contain_text("63.2 %")
    expect(service_level.first).to_contain_text("Target missed")
    expect(page.locator(".card", has_text="Average speed of answer")).to_contain_text("Target met")
    expect(page.locator("svg")).to_have_count(2)
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "by-day.png"), full_page=True)

    page.get_by_label("By", exact=True).select_option("agent")
    page.get_by_label("Queue", exact=True).select_option("billing")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("cell", name="4103 (no staff member)")).to_be_visible()
    assert "queue=billing" in page.url
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "by-agent.png"), full_page=True)
    assert console_errors == []

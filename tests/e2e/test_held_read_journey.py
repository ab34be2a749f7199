"""A billing specialist's held read, from the keyboard (issue 13 item 5):
typed on the route, held in place with the reason, decided on the held-reads
page, and the re-read is on the crew sheet and the account's Services tab."""

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import FieldActivity
from billing.services.reads import next_working_day
from mesa_cs.lib.dates import today
from tests.billing.conftest import START, water_meter
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_held_reads_reread_appears_on_the_crew_sheet(
    role_users, live_server, page, console_errors, output_path
):
    screenshots = Path(output_path)
    meter = water_meter()
    account = meter.service_point.agreements.get().account
    read_on = START + timedelta(days=210)
    sign_in(page, live_server, "billing")
    page.goto(f"{live_server.url}/billing/reads/?cycle=1&route=&read_on={read_on.isoformat()}")
    assert_page_is_accessible(page)
    field = page.get_by_label(f"New register for meter {meter.meter.number}")
    field.fill("9300")
    field.press("Enter")
    row = page.locator(f"#meter-{meter.pk}")
    expect(row).to_contain_text("Held: high")
    expect(page.get_by_role("status")).to_contain_text("0 reads saved, 1 held for review")

    row.get_by_role("link", name="decide").click()
    assert_page_is_accessible(page)
    held = page.locator("tbody tr").first
    expect(held).to_contain_text("High")
    expect(held).to_contain_text("9060")
    expect(held).to_contain_text(account.number)
    held.get_by_role("button", name="Order re-read").focus()
    page.keyboard.press("Enter")
    day = next_working_day(today())
    expect(page.get_by_role("status")).to_contain_text(f"Re-read ordered for {day:%m/%d/%Y}")
    expect(page.locator("tbody tr").first).to_contain_text("Re-read ordered")
    expect(page.get_by_role("button", name="Order re-read")).to_have_count(0)

    page.locator("tbody tr").first.get_by_role("link", name="field work").click()
    assert_page_is_accessible(page)
    crew = page.locator("tbody tr", has_text=account.number)
    expect(crew).to_contain_text("Re-read")
    expect(crew).to_contain_text("Held read 9300")
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / "crew-sheet.png"), full_page=True)

    page.goto(f"{live_server.url}/accounts/{account.number}/")
    page.get_by_role("navigation", name="Account sections").get_by_role(
        "link", name="Services"
    ).click()
    expect(page.locator("#tab-panel")).to_contain_text("Held read 9300")
    assert FieldActivity.objects.filter(kind="reread", account=account).count() == 1
    assert console_errors == []

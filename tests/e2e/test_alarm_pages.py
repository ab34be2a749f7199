"""Every Alarm Unit page, as its clerk opens them from the section page:
labelled, landmarked, no console errors, axe-clean (the e2e conftest runs
axe on each). Screenshots in $MESA_SHOTS (/tmp/shots-A)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from alarms.models import AlarmInvoice, Incident
from alarms.services.appeals import appeal_file
from alarms.services.feed import feed_import
from alarms.services.permits import Application, company_save, permit_apply
from mesa_cs.lib.dates import today
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("MESA_SHOTS", "/tmp/shots-A"))


@pytest.fixture
def alarm_year(db):
    company = company_save(name="Valley Alarm Co", contact_name="Jo Reyes", phone="4805550100")
    permit = permit_apply(
        Application(
            holder_name="Maria Gonzales",
            customer_class="residential",
            address="1425 E University Dr",
            zip_code="85203",
            functions=["burglary", "panic"],
            issued_on=today() - timedelta(days=200),
            alarm_company=company,
            responders=[("Luis Gonzales", "4805550143")],
        )
    )
    rows = [
        f"MPD-{n},{today() - timedelta(days=150 - n * 10)}T02:00:00,"
        f"1425 East University Drive,burglary,false,"
        for n in range(1, 5)
    ] + [f"MPD-9,{today() - timedelta(days=5)}T03:00:00,99 W Nowhere Ln,panic,false,"]
    feed_import(
        content=(
            "incident_number,reported_at,address,alarm_type,disposition,permit_number\n"
            + "\n".join(rows)
        ).encode(),
        filename="cad.csv",
    )
    invoice = AlarmInvoice.objects.filter(kind="false_alarm").order_by("-pk").first()
    appeal_file(invoice=invoice, filed_on=today(), grounds="The alarm company tested it.")
    return permit


def test_each_alarm_page_opens_from_the_section_page(
    alarm_year, role_users, live_server, page, console_errors
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server, "alarms")
    page.goto(f"{live_server.url}/")
    expect(page.locator('[data-tile="alarm-research"] [data-figure]')).to_have_text("1")
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)
    visits = [
        ("Look up a permit", "lookup"),
        ("Permits", "permits"),
        ("Dispatch feed", "feed"),
        ("Incidents", "incidents"),
        ("Invoices", "invoices"),
        ("Statements", "statements"),
        ("Appeals", "appeals"),
        ("Alarm companies", "companies"),
        ("Company registrations", "registrations"),
        ("Reports", "reports"),
    ]
    for link, shot in visits:
        page.goto(f"{live_server.url}/alarms/")
        page.get_by_role("link", name=link, exact=True).click()
        assert_page_is_accessible(page)
        page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    page.goto(f"{live_server.url}/alarms/")
    page.screenshot(path=str(SHOTS / "section.png"), full_page=True)
    page.goto(f"{live_server.url}/alarms/lookup/?q=1425+east+university")
    expect(page.get_by_role("link", name=alarm_year.number)).to_be_visible()
    page.get_by_role("link", name=alarm_year.number).click()
    expect(page.get_by_text("480-555-0143")).to_be_visible()
    page.get_by_role("link", name="Valley Alarm Co").click()
    expect(page.get_by_role("link", name=alarm_year.number)).to_be_visible()
    incident = Incident.objects.get(research="open")
    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "incident.png"), full_page=True)
    page.goto(f"{live_server.url}/alarms/appeals/")
    page.locator("td a").filter(has_text="Appeal").first.click()
    expect(page.get_by_role("heading", name="Appeal of invoice")).to_be_visible()
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "appeal.png"), full_page=True)
    page.goto(f"{live_server.url}/accounts/{alarm_year.account.number}/")
    page.get_by_role("link", name="Alarm permits", exact=True).click()
    expect(page.get_by_role("link", name=alarm_year.number)).to_be_visible()
    page.screenshot(path=str(SHOTS / "account-tab.png"), full_page=True)
    assert console_errors == []

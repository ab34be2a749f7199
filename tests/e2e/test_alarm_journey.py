"""The Alarm Unit's year in small: the clerk registers a permit at the
counter, imports the police dispatch feed, prints the false alarm's
invoice and files the holder's appeal; a supervisor records the hearing's
decision and the fee is waived. Screenshots in $MESA_SHOTS (/tmp/shots-A)."""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.selectors.ledger import account_balance
from alarms.models import AlarmInvoice, AlarmPermit, Appeal
from mesa_cs.lib.dates import today
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("MESA_SHOTS", "/tmp/shots-A"))


def test_register_import_print_and_appeal(role_users, live_server, page, console_errors, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, "alarms")
    page.goto(f"{live_server.url}/alarms/")
    assert_page_is_accessible(page)
    page.get_by_role("link", name="Issue a permit").click()

    # The application, by keyboard, as the holder reads it out.
    page.get_by_label("Permit holder").fill("Maria Gonzales")
    page.get_by_label("Premise address").fill("1425 E University Dr")
    page.get_by_label("ZIP code").fill("85203")
    page.get_by_label("Burglary").check()
    page.get_by_label("Panic").check()
    # The holder applied a month ago; the clerk enters it now.
    page.get_by_label("Issue date").fill(str(today() - timedelta(days=30)))
    page.get_by_label("Phone", exact=True).fill("480-555-0142")
    page.get_by_label("First responder", exact=True).fill("Luis Gonzales")
    page.get_by_label("First responder's phone").fill("480-555-0143")
    page.get_by_label("First responder's phone").press("Tab")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "permit-new.png"), full_page=True)
    page.get_by_role("button", name="Issue the permit").click()
    expect(page.get_by_role("status").filter(has_text="issued")).to_be_visible()
    permit = AlarmPermit.objects.get()
    expect(page.get_by_role("heading", name=f"Permit {permit.number}")).to_be_visible()
    expect(page.get_by_text("Burglary, Panic")).to_be_visible()
    page.screenshot(path=str(SHOTS / "permit.png"), full_page=True)
    pdf = page.request.get(f"{live_server.url}/alarms/permits/{permit.number}/permit.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (SHOTS / "permit.pdf").write_bytes(pdf.body())

    # The dispatch feed: two false alarms at the address, written out in full.
    first = today() - timedelta(days=20)
    second = today() - timedelta(days=3)
    feed = tmp_path / "cad-export.csv"
    feed.write_text(
        "incident_number,reported_at,address,alarm_type,disposition,permit_number\n"
        f"MPD-26-000123,{first}T02:14:00,1425 East University Drive,burglary,false,\n"
        f"MPD-26-000124,{second}T03:40:00,1425 East University Drive,burglary,false,"
        f"{permit.number}\n"
    )
    page.get_by_role("link", name="Alarm Permits").first.click()
    page.get_by_role("link", name="Dispatch feed").click()
    page.get_by_label("CSV file").set_input_files(str(feed))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("dd").filter(has_text="2 new, 0 seen before, 0 not read")).to_be_visible()
    expect(page.get_by_text("$150.00 (2 assessments)")).to_be_visible()
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "feed-imported.png"), full_page=True)

    # The second false alarm's invoice: $100.00, and its PDF.
    page.get_by_role("link", name="MPD-26-000124").click()
    invoice = AlarmInvoice.objects.get(incident__incident_number="MPD-26-000124")
    assert invoice.amount == Decimal("100.00")
    page.get_by_role("link", name=invoice.number).click()
    expect(page.get_by_role("heading", name=f"Invoice {invoice.number}")).to_be_visible()
    pdf = page.request.get(f"{live_server.url}/alarms/invoices/{invoice.number}/invoice.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (SHOTS / "invoice.pdf").write_bytes(pdf.body())

    # The holder appeals: the alarm went off in a storm's power cut.
    page.get_by_label("Grounds for the appeal").fill("A power failure set the alarm off.")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "invoice.png"), full_page=True)
    page.get_by_role("button", name="File the appeal").click()
    expect(page.get_by_role("status").filter(has_text="the fee is stayed")).to_be_visible()
    appeal = Appeal.objects.get()
    page.get_by_label("Hearing date").fill(str(today() + timedelta(days=14)))
    page.get_by_label("Time").fill("09:30")
    page.get_by_role("button", name="Schedule the hearing").click()
    expect(page.get_by_role("status").filter(has_text="Hearing scheduled")).to_be_visible()
    expect(page.get_by_text("A supervisor records the hearing's decision.")).to_be_visible()
    page.context.clear_cookies()

    # The supervisor records the decision: waived.
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/alarms/appeals/{appeal.pk}/")
    page.get_by_role("combobox", name="Decision").select_option("waived")
    page.get_by_label("Reason").fill("SRP confirmed the outage that night.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status").filter(has_text="Decision recorded")).to_be_visible()
    page.screenshot(path=str(SHOTS / "appeal-decided.png"), full_page=True)
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.amount_upheld) == ("waived", Decimal("0.00"))
    # $20.00 permit + $50.00 + $100.00, less the $100.00 waived.
    assert account_balance(permit.account_id) == Decimal("70.00")
    assert console_errors == []

"""A supervisor starts from the home page's approvals count, opens the inbox
and decides requests of two sections in place, with the keyboard: a
decline without a reason is refused beside the row, then each decision is
made through its own app's service. Screenshots in /tmp/shots-C/."""

import os
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import JournalEntry
from accounts.selectors import account_balance
from accounts.services import Charge, charges_post
from billing.models import Adjustment
from billing.services.adjustments import adjustment_request
from credit.models import WriteOff
from credit.services.write_offs import write_off_request
from mesa_cs.lib.roles import Role
from staffing.models import WorkItem
from tests.e2e.conftest import assert_page_is_accessible, sign_in
from tests.factories import AccountFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("MESA_SHOTS", "/tmp/shots-C"))


def test_a_supervisor_decides_an_adjustment_and_a_write_off_from_the_inbox(
    role_users, live_server, page, console_errors
):
    biller, collector = role_users[Role.BILLING], role_users[Role.CREDIT]
    biller.first_name, biller.last_name = "Bea", "Biller"
    biller.save()
    adjusted = AccountFactory(name="Rosa Delgado")
    adjustment = adjustment_request(
        account=adjusted,
        amount=D("-250.00"),
        reason="billing_error",
        note="Read keyed twice",
        requested_by=biller,
        utility="water",
    )
    owing = AccountFactory(status="final", name="Lee Navarro")
    charges_post(
        account=owing,
        kind=JournalEntry.Kind.BILL,
        effective_on=date(2026, 6, 30),
        description="Final bill",
        charges=[Charge(D("184.20"), "water")],
    )
    write_off = write_off_request(
        account=owing, amount=D("184.20"), reason="Estate closed", requested_by=collector
    )

    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/")
    expect(page.locator('[data-tile="approvals"] [data-figure]')).to_have_text("2")
    page.locator('[data-tile="approvals"] [data-tile-link]').click()
    expect(page.get_by_role("heading", name="Approvals")).to_be_visible()
    assert_page_is_accessible(page)
    expect(page.locator("#approvals-count")).to_have_text("2 waiting")
    row = page.locator(f"#approval-adjustment-{adjustment.pk}")
    expect(row).to_contain_text("Billing error adjustment (Water)")
    expect(row).to_contain_text("Bea Biller")
    expect(row).to_contain_text("Read keyed twice")
    expect(row).to_contain_text("−$250.00")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "approvals-inbox.png"), full_page=True)

    # A decline needs a reason: refused in place, nothing decided.
    off_row = page.locator(f"#approval-write-off-{write_off.pk}")
    off_row.get_by_role(
        "button", name=f"Decline the write-off of uncollectible debt on {owing.number}"
    ).click()
    expect(off_row.get_by_role("alert")).to_contain_text("Say why")
    page.screenshot(path=str(SHOTS / "approvals-refused.png"), full_page=True)
    assert WriteOff.objects.get().status == WriteOff.Status.PENDING

    # With the keyboard: type the reason, Tab to Approve, Enter.
    reason = page.get_by_label(f"Reason for billing error adjustment (water) on {adjusted.number}")
    reason.fill("Checked the read history")
    reason.press("Tab")
    page.keyboard.press("Enter")
    decided = page.locator(f"#approval-adjustment-{adjustment.pk}")
    expect(decided).to_contain_text("Approved by")
    expect(decided).to_contain_text("Checked the read history")

    page.get_by_label(f"Reason for write-off of uncollectible debt on {owing.number}").fill(
        "Heir is paying"
    )
    off_row.get_by_role(
        "button", name=f"Decline the write-off of uncollectible debt on {owing.number}"
    ).click()
    expect(page.locator(f"#approval-write-off-{write_off.pk}")).to_contain_text("Declined by")
    page.screenshot(path=str(SHOTS / "approvals-decided.png"), full_page=True)

    adjustment.refresh_from_db()
    assert adjustment.status == Adjustment.Status.POSTED
    assert adjustment.decided_by.username == "supervisor"
    assert account_balance(adjusted.pk) == D("-250.00")
    write_off.refresh_from_db()
    assert write_off.status == WriteOff.Status.REJECTED
    assert account_balance(owing.pk) == D("184.20")
    note = WorkItem.objects.get(kind="adjustment_approval").notes.get()
    assert note.text == "Approved: Checked the read history"
    assert note.author.username == "supervisor"

    page.reload()
    expect(page.get_by_text("Nothing waits for approval.")).to_be_visible()
    # The refused decline comes back as a 400, which Chromium reports; nothing else may.
    assert [e for e in console_errors if "status of 400" not in e] == []

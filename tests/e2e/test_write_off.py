"""A credit representative asks to write off a final bill nobody will pay; a
supervisor approves it from the pending list, with the keyboard."""

from datetime import date
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from accounts.models import JournalEntry
from accounts.selectors import account_balance
from accounts.services import Charge, charges_post
from credit.models import WriteOff
from tests.e2e.conftest import assert_page_is_accessible, sign_in
from tests.factories import AccountFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_representative_requests_and_a_supervisor_approves_a_write_off(
    role_users, live_server, page, console_errors
):
    account = AccountFactory(status="final", name="Lee Navarro")
    charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=date(2026, 6, 30),
        description="Final bill",
        charges=[Charge(D("184.20"), "water")],
    )

    sign_in(page, live_server, "credit")
    page.goto(f"{live_server.url}/credit/write-offs/account/{account.number}/")
    assert_page_is_accessible(page)
    page.get_by_label("Amount to write off").fill("184.20")
    page.get_by_label("Why it cannot be collected").fill("Deceased, estate closed with no assets")
    page.get_by_label("Why it cannot be collected").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("waiting for a supervisor")
    expect(page.get_by_role("cell", name="Waiting for approval")).to_be_visible()
    assert WriteOff.objects.get().status == WriteOff.Status.PENDING

    page.context.clear_cookies()
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/credit/write-offs/")
    assert_page_is_accessible(page)
    approve = page.get_by_role(
        "button", name=f"Approve the write-off of 184.20 on {account.number}"
    )
    approve.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("approved and posted")
    expect(page.get_by_text("No write-offs match.")).to_be_visible()

    write_off = WriteOff.objects.get()
    assert write_off.status == WriteOff.Status.POSTED
    assert write_off.requested_by.username == "credit"
    assert write_off.decided_by.username == "supervisor"
    assert account_balance(account.pk) == D("0.00")
    assert console_errors == []

"""A cashier paying two accounts, the second found by name at the counter:
choosing it from the search fills the next empty account row in place, with
the amount due, and keeps what was already on the screen."""

from datetime import date
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from accounts.models import JournalEntry
from accounts.rules.scanline import scan_line
from accounts.services import Charge, charges_post
from cashiering.models import TenderSource
from cashiering.services.drawers import shift_open
from mesa_cs.lib.roles import Role
from tests.e2e.conftest import assert_page_is_accessible, sign_in
from tests.factories import AccountFactory, agreement, premise

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _owing(name, amount, address):
    account = AccountFactory(name=name)
    agreement(account, premise_obj=premise(address))
    charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=date(2026, 11, 1),
        description="Bill",
        charges=[Charge(amount, "water")],
    )
    return account


def test_an_account_chosen_from_the_search_joins_the_payment_without_losing_the_first(
    role_users, live_server, page, console_errors
):
    nora = _owing("Nora Begay", D("256.58"), "1425 E University Dr")
    tavo = _owing("Octavio Quintana", D("61.20"), "220 W Main St")
    shift_open(
        source=TenderSource.objects.get(code="MAIN"),
        cashier=role_users[Role.CASHIER],
        opening_float=D("200"),
    )
    sign_in(page, live_server, "cashier")
    page.goto(f"{live_server.url}/cashiering/counter/")

    page.locator("#id_account_1").focus()
    page.keyboard.type(scan_line(nora.number, D("256.58")))
    page.keyboard.press("Enter")
    expect(page.locator("#id_amount_1")).to_have_value("256.58")

    page.get_by_label("Find the account by name, address or phone").fill("Quintana")
    pick = page.get_by_role("link", name="Pay this account")
    expect(pick).to_have_count(1)
    pick.focus()
    page.keyboard.press("Enter")

    # The first account is still there; the second fills row 2, amount and all.
    expect(page.locator("#id_account_1")).to_have_value(nora.number)
    expect(page.locator("#id_amount_1")).to_have_value("256.58")
    expect(page.locator("#id_account_2")).to_have_value(tavo.number)
    expect(page.locator("#id_amount_2")).to_have_value("61.20")
    expect(page.locator("#summary-2")).to_contain_text("Octavio Quintana")
    expect(page.locator("[data-tally=due]")).to_have_text("$317.78")
    expect(page.locator("#id_amount_2")).to_be_focused()
    expect(page.get_by_label("Find the account by name, address or phone")).to_have_value("")
    assert_page_is_accessible(page)
    assert console_errors == []

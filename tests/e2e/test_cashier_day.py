import re
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from accounts.rules.scanline import scan_line
from accounts.selectors import account_balance
from cashiering.models import DrawerShift, Payment
from tests.e2e.conftest import assert_page_is_accessible, sign_in
from tests.factories import AccountFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_cashier_day_open_take_cash_and_check_print_close_balanced(
    role_users, live_server, page, console_errors
):
    first, second = AccountFactory(name="Nora Begay"), AccountFactory(name="Desert Sky Laundromat")
    sign_in(page, live_server, "cashier")
    page.goto(f"{live_server.url}/cashiering/")
    page.get_by_label("Drawer*").select_option(label="Main counter drawer")
    page.get_by_label("Opening float*").fill("200.00")
    page.get_by_role("button", name="Open drawer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Counter payment")
    assert_page_is_accessible(page)

    # Cash with change, the account found by scanning the bill stub.
    page.get_by_label("Account 1 (number or bill stub scan line)").fill(
        scan_line(first.number, D("52.37"))
    )
    page.keyboard.press("Tab")
    expect(page.locator("#summary-1")).to_contain_text("Nora Begay")
    # The stub's amount arrives once the lookup settles; typing into the field
    # before then raced it (Playwright selected the empty field, the amount
    # landed, and its keystrokes went after it: "52.3752.37").
    expect(page.get_by_label("Amount for account 1")).to_have_value("52.37")
    page.get_by_label("Tender 1", exact=True).select_option("CASH")
    page.get_by_label("Tender 1 amount").fill("60.00")
    expect(page.locator("[data-tally=change]")).to_have_text("$7.63")
    page.get_by_role("button", name="Post payment").click()
    # The counter's live panel says "Change due" too: wait for the receipt.
    expect(page).to_have_url(re.compile(r"/receipt/$"))
    expect(page.get_by_text("Change", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("7.63")
    assert page.get_by_role("button", name="Print receipt").is_visible()
    page.get_by_role("link", name="Next payment").click()

    # A check.
    page.get_by_label("Account 1 (number or bill stub scan line)").fill(second.number)
    page.get_by_label("Amount for account 1").fill("140.00")
    page.get_by_label("Tender 1", exact=True).select_option("CHECK")
    page.get_by_label("Tender 1 amount").fill("140.00")
    page.get_by_label("Tender 1 check or approval no.").fill("2048")
    page.get_by_label("Tender 1 check or approval no.").press("Enter")
    expect(page).to_have_url(re.compile(r"/receipt/$"))
    assert Payment.objects.count() == 2
    assert account_balance(first.pk) == D("-52.37") and account_balance(second.pk) == D("-140.00")

    # Close: 200 float + 60 cash - 7.63 change = 252.37 in cash, one check of 140.
    shift = DrawerShift.objects.get()
    page.goto(f"{live_server.url}/cashiering/drawer/{shift.pk}/close/")
    assert_page_is_accessible(page)
    counts = {"$100": "2", "$50": "1", "$1": "2", "25¢": "1", "10¢": "1", "1¢": "2"}
    for label, count in counts.items():
        page.get_by_label(f"{label} count").fill(count)
    page.get_by_label("Checks and money orders in the drawer (one amount per line)").fill("140.00")
    page.get_by_role("button", name="Close drawer").click()
    expect(page.get_by_role("status")).to_contain_text("Drawer closed and balanced")
    shift.refresh_from_db()
    assert shift.status == DrawerShift.Status.CLOSED and shift.difference == 0
    assert console_errors == []

"""With no supervisor at the counter: the cashier asks for a void on the
payment page, and another drawer closes short beyond the threshold; the
supervisor finds both on the home page and in the approvals inbox, approves
the void and signs off the drawer. Screenshots in $MESA_SHOTS (/tmp/shots-P)."""

import os
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cashiering.models import DrawerShift, Payment, TenderSource
from cashiering.services.drawers import shift_close, shift_open
from cashiering.services.payments import TenderLine, payment_take
from mesa_cs.lib.roles import Role
from tests.e2e.conftest import assert_page_is_accessible, sign_in
from tests.factories import AccountFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("MESA_SHOTS", "/tmp/shots-P"))


def _take(shift, account, amount, key):
    return payment_take(
        source=shift.source,
        shift=shift,
        received_on=timezone.localdate(),
        tenders=[TenderLine("CASH", D(amount))],
        allocations=[(account, D(amount))],
        idempotency_key=key,
    )


def test_a_void_and_a_short_drawer_wait_for_the_supervisor(
    role_users, live_server, page, console_errors
):
    cashier = role_users[Role.CASHIER]
    cashier.first_name, cashier.last_name = "Cal", "Cashman"
    cashier.save()
    main = shift_open(
        source=TenderSource.objects.get(code="MAIN"), cashier=cashier, opening_float=D("200")
    )
    account = AccountFactory(name="Rosa Delgado")
    payment = _take(main, account, "64.10", "p-void")
    other = UserFactory(first_name="Dee", last_name="Drawer", role=Role.CASHIER)
    east = shift_open(
        source=TenderSource.objects.get(code="EAST"), cashier=other, opening_float=D("100")
    )
    _take(east, AccountFactory(), "100.00", "p-east")
    short = shift_close(
        shift_id=east.pk,
        cashier=other,
        denominations={"100": 1, "50": 1, "20": 2},  # 190.00 of 200.00
        checks=[],
        reason="Gave a twenty too many",
    )
    assert short.awaits_sign_off

    # The cashier asks for the void: no supervisor signs in here.
    sign_in(page, live_server, "cashier")
    page.goto(f"{live_server.url}/cashiering/payments/{payment.pk}/")
    assert_page_is_accessible(page)
    page.get_by_label("Reason").last.fill("Keyed the wrong account")
    page.get_by_role("button", name="Void payment").click()
    expect(page.get_by_role("status").filter(has_text="A void waits")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "void-asked.png"), full_page=True)
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.POSTED
    page.context.clear_cookies()  # the next person at this screen

    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/")
    expect(page.locator('[data-tile="approvals"] [data-figure]')).to_have_text("2")
    expect(page.locator('[data-tile="drawers"]')).to_contain_text("Awaiting sign-off")
    page.screenshot(path=str(SHOTS / "supervisor-home.png"), full_page=True)
    page.locator('[data-tile="approvals"] [data-tile-link]').click()
    expect(page.get_by_role("heading", name="Approvals")).to_be_visible()
    assert_page_is_accessible(page)
    void_row = page.locator("[data-kind=void]")
    expect(void_row).to_contain_text(f"Void of payment {payment.pk}")
    expect(void_row).to_contain_text("Cal Cashman")
    expect(void_row).to_contain_text("$64.10")
    drawer_row = page.locator("[data-kind=drawer-sign-off]")
    expect(drawer_row).to_contain_text("Drawer short on")
    expect(drawer_row).to_contain_text("Dee Drawer")
    expect(drawer_row).to_contain_text("−$10.00")
    page.screenshot(path=str(SHOTS / "inbox-void-and-drawer.png"), full_page=True)

    # With the keyboard: the reason, Tab to Approve, Enter.
    reason = void_row.get_by_label(f"Reason for void of payment {payment.pk}", exact=False)
    reason.fill("Customer's stub shows the other account")
    reason.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("tr.table-success").first).to_contain_text("Approved by")
    drawer_row.get_by_role("button", name="Approve", exact=False).click()
    expect(page.locator("tr.table-success")).to_have_count(2)
    page.screenshot(path=str(SHOTS / "inbox-decided.png"), full_page=True)

    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.VOIDED
    signed = DrawerShift.objects.get(pk=east.pk)
    assert signed.signed_off_by.username == "supervisor" and not signed.awaits_sign_off
    page.goto(f"{live_server.url}/cashiering/deposits/")
    expect(page.get_by_label(str(signed), exact=False)).to_be_enabled()
    assert console_errors == []

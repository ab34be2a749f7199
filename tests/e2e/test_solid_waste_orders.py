"""An EMS clerk's container and order journey in the browser (issue 15
items 1 and 2): from the Solid Waste page find the premise, deliver a second
black barrel, book a bulk pickup (refused while the account is past due,
booked once the past due is paid), and see the charge on the next bill
under fees and adjustments. Screenshots in /tmp/containers."""

from datetime import timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.services.ledger import payment_post
from billing.rules.ratebook import shipped_ratebook
from billing.services.bills import bill_issue
from billing.services.rates import ratebook_from_db, ratebook_load
from mesa_cs.lib.dates import today
from solidwaste.services import containers as services
from tests.e2e.conftest import assert_page_is_accessible, sign_in
from tests.solidwaste.test_containers import barrel_service, past_due, routes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/containers")


def test_an_ems_clerk_delivers_a_barrel_and_books_a_bulk_pickup_billed_next(
    role_users, live_server, page, console_errors
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    ratebook_load(shipped_ratebook())
    routes()
    sa = barrel_service()
    account = sa.account
    past_due(account, "40.00")  # on the last bill, due a month ago, unpaid
    last_bill = bill_issue(
        account=account,
        period_end=today() - timedelta(days=3),
        bill_on=today() - timedelta(days=1),
        book=ratebook_from_db(),
    )
    services.container_deliver(agreement_id=sa.pk, kind="black_90", delivered_on=sa.starts_on)

    sign_in(page, live_server, "ems")
    page.goto(f"{live_server.url}/solidwaste/")
    page.get_by_role("link", name="Container services").click()
    page.get_by_label("Address").fill("1425 E University")
    page.get_by_role("button", name="Filter").click()
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-services.png"), full_page=True)
    page.get_by_role("link", name="1425 E University Dr").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1425 E University Dr")

    # A second 90-gallon barrel: the service bills two from its next bill.
    page.locator("#id_kind").select_option(label="Black barrel, 90 gallons")
    page.get_by_label("Container tag").fill("MX-22017")
    page.screenshot(path=str(SHOTS / "e2e-deliver-form.png"), full_page=True)
    page.get_by_role("button", name="Record the delivery").click()
    expect(page.locator(".alert-success")).to_contain_text("Black barrel, 90 gallons delivered")
    expect(page.locator("#current-containers")).to_contain_text("MX-22017")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-premise.png"), full_page=True)

    # Past due: the page says so and the bulk pickup is refused.
    page.get_by_role("link", name="Book a one-time order").click()
    expect(page.get_by_role("status")).to_contain_text("$40.00 past due")
    expect(page.get_by_text("Bulk pickup eligibility")).to_be_visible()
    page.locator("#id_kind").select_option(label="Bulk pickup")
    page.get_by_role("button", name="Book the order").click()
    expect(page.locator(".alert-danger, .invalid-feedback, .alert-block").first).to_contain_text(
        "past-due balance is paid"
    )
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-bulk-refused.png"), full_page=True)

    # The customer pays the past due; the same booking goes through.
    payment_post(account=account, amount=D("40.00"), effective_on=today())
    page.locator("#id_kind").select_option(label="Bulk pickup")
    page.get_by_role("button", name="Book the order").click()
    expect(page.locator(".alert-success")).to_contain_text("Bulk pickup booked")
    expect(page.locator(".alert-success")).to_contain_text("RES-301")
    expect(page.locator("#orders")).to_contain_text("$29.00")
    page.screenshot(path=str(SHOTS / "e2e-bulk-booked.png"), full_page=True)

    # The dispatch list has it on its route.
    page.goto(f"{live_server.url}/solidwaste/orders/")
    expect(page.locator("table")).to_contain_text("RES-301")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-orders.png"), full_page=True)

    # The next bill, as the bill run issues it, shows the charge.
    sa.refresh_from_db()
    assert sa.containers == 2
    bill = bill_issue(
        account=account,
        period_end=last_bill.period_end + timedelta(days=30),
        bill_on=last_bill.bill_on + timedelta(days=30),
        book=ratebook_from_db(),
    )
    assert bill.other_charges == D("29.00")
    page.context.clear_cookies()  # a billing specialist opens the bill
    sign_in(page, live_server, "billing")
    page.goto(f"{live_server.url}/billing/bills/{bill.pk}/")
    expect(page.get_by_role("row", name="Fees and adjustments")).to_contain_text("$29.00")
    page.screenshot(path=str(SHOTS / "e2e-next-bill.png"), full_page=True)
    assert console_errors == []


def test_an_ems_clerk_stops_a_green_barrel_inside_its_minimum(
    role_users, live_server, page, console_errors
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    ratebook_load(shipped_ratebook())
    barrels = barrel_service()
    green = barrel_service(
        "SW1.3",
        starts_on=today() - timedelta(days=45),
        premise_obj=barrels.premise,
        account=barrels.account,
    )
    services.container_deliver(agreement_id=green.pk, kind="green", delivered_on=green.starts_on)
    amount, _ = services.green_stop_quote(green, today())

    sign_in(page, live_server, "ems")
    page.goto(f"{live_server.url}/solidwaste/premises/{green.premise_id}/")
    page.get_by_role("link", name="Stop green barrel").click()
    expect(page.get_by_role("status")).to_contain_text(f"${amount}")
    expect(page.get_by_text("Green barrel minimum")).to_be_visible()
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-green-stop.png"), full_page=True)
    page.get_by_role("button", name="Stop the green barrel").click()
    expect(page.locator(".alert-success")).to_contain_text("for the rest of the minimum")
    expect(page.get_by_text("Green barrel service stopped")).to_be_visible()
    page.screenshot(path=str(SHOTS / "e2e-green-stopped.png"), full_page=True)
    green.refresh_from_db()
    assert green.status == "final"
    assert console_errors == []


def test_an_ems_clerk_cancels_one_order_and_marks_another_done(
    role_users, live_server, page, console_errors
):
    """Item 2's end of an order: a bulk pickup booked twice is cancelled with
    a reason (its charge reversed, nothing billed), the extra pickup the
    route did is marked done."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    ratebook_load(shipped_ratebook())
    routes()
    sa = barrel_service()
    twice = services.order_book(agreement_id=sa.pk, kind="bulk_pickup", scheduled_on=today())
    extra = services.order_book(agreement_id=sa.pk, kind="extra_pickup", scheduled_on=today())

    sign_in(page, live_server, "ems")
    page.goto(f"{live_server.url}/solidwaste/premises/{sa.premise_id}/")
    row = page.locator(f"#order-{twice.pk}")
    expect(row).to_contain_text("Open")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-orders-open.png"), full_page=True)
    row.get_by_label("Reason for cancelling").fill("Booked twice by phone")
    row.get_by_role("button", name="Cancel order").click()
    expect(page.locator(".alert-success")).to_contain_text("charge is reversed")
    expect(page.locator(f"#order-{twice.pk}")).to_contain_text("Cancelled: Booked twice by phone")

    done = page.locator(f"#order-{extra.pk}")
    done.get_by_role("button", name="Mark done").click()
    expect(page.locator(".alert-success")).to_contain_text("Extra pickup marked done")
    expect(page.locator(f"#order-{extra.pk}")).to_contain_text("Completed")
    expect(page.locator(f"#order-{extra.pk}").get_by_role("button")).to_have_count(0)
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-orders-closed.png"), full_page=True)

    # The dispatch list shows each order's status; the cancelled one filters out.
    page.goto(f"{live_server.url}/solidwaste/orders/")
    page.get_by_label("Status").select_option(label="Open")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table")).to_contain_text("No orders match")
    page.screenshot(path=str(SHOTS / "e2e-orders-list-open.png"), full_page=True)

    bill = bill_issue(
        account=sa.account,
        period_end=today() + timedelta(days=27),
        bill_on=today() + timedelta(days=29),
        book=ratebook_from_db(),
    )
    assert bill.other_charges == D("10.00")  # the extra pickup only
    assert console_errors == []

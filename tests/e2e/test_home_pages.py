"""Each role starts the day from its home page: its tiles with real counts,
each a link to the list it counts. Screenshots in /tmp/shots-C/ (or
$MESA_SHOTS)."""

import os
import re
from datetime import timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.services import contact_log
from billing.services.adjustments import adjustment_request
from cashiering.models import TenderSource
from cashiering.services.drawers import shift_open
from cashiering.services.payments import TenderLine, payment_take
from credit.models import Pledge
from mesa_cs.lib.dates import today
from mesa_cs.lib.roles import Role
from staffing.models import Section
from staffing.services import work_item_assign, work_item_open
from tests.billing.conftest import water_meter as make_water_meter
from tests.e2e.conftest import assert_page_is_accessible, sign_in
from tests.factories import AccountFactory
from tests.platform.test_home import hold_two_reads

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("MESA_SHOTS", "/tmp/shots-C"))


@pytest.fixture
def water_meter(db):
    """The monthly-read water meter of tests/billing."""
    return make_water_meter()


def open_home(page, live_server, username):
    sign_in(page, live_server, username)
    page.goto(f"{live_server.url}/")
    assert_page_is_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"home-{username}.png"), full_page=True)


def figure(page, tile):
    return page.locator(f'[data-tile="{tile}"] [data-figure]')


def part(page, tile, label):
    return page.locator(f'[data-tile="{tile}"] [data-part="{label}"]')


def big_adjustment(requester):
    return adjustment_request(
        account=AccountFactory(name="Rosa Delgado"),
        amount=D("-250.00"),
        reason="billing_error",
        note="Read keyed twice",
        requested_by=requester,
        utility="water",
    )


def test_the_clerks_home_counts_work_callbacks_and_starts(
    role_users, live_server, page, console_errors
):
    clerk = role_users[Role.CLERK]
    account = AccountFactory(name="Maria Ortega")
    for n in range(2):
        item = work_item_open(
            kind="callback",
            section=Section.CONTACT_CENTER,
            title=f"Call Maria back ({n})",
            due_on=today() - timedelta(days=n),
        )
        work_item_assign(item_id=item.pk, assignee=clerk)
    contact_log(
        account=account,
        channel="call",
        topic="billing",
        notes="Wants the bill explained",
        created_by=clerk,
        follow_up_on=today(),
    )
    open_home(page, live_server, "clerk")
    expect(page.get_by_role("heading", name="Customer Service Clerk")).to_be_visible()
    expect(figure(page, "my-work")).to_have_text("2")
    expect(page.locator('[data-tile="my-work"] [data-note]')).to_have_text("1 overdue")
    expect(figure(page, "my-callbacks")).to_have_text("1")
    expect(figure(page, "starts-stops")).to_have_text("0")
    page.locator('[data-tile="my-callbacks"] [data-tile-link]').click()
    expect(page.get_by_role("heading", name="Callbacks due")).to_be_visible()
    expect(page.get_by_role("cell", name=f"{account.number} Maria Ortega")).to_be_visible()
    assert console_errors == []


def test_the_cashiers_home_shows_the_drawer_and_the_office(
    role_users, live_server, page, console_errors
):
    cashier = role_users[Role.CASHIER]
    shift = shift_open(
        source=TenderSource.objects.get(code="MAIN"), cashier=cashier, opening_float=D("100")
    )
    for n, amount in enumerate(("42.10", "17.90")):
        payment_take(
            source=shift.source,
            shift=shift,
            received_on=timezone.localdate(),
            tenders=[TenderLine("CASH", D(amount))],
            allocations=[(AccountFactory(), D(amount))],
            idempotency_key=f"home-e2e-{n}",
        )
    open_home(page, live_server, "cashier")
    expect(figure(page, "my-drawer")).to_have_text("$160.00")
    expect(part(page, "my-drawer", "Payments today")).to_contain_text("2")
    expect(figure(page, "office-totals")).to_have_text("$60.00")
    expect(part(page, "office-totals", "Cash")).to_contain_text("$60.00")
    page.locator('[data-tile="office-totals"] [data-tile-link]').click()
    expect(page).to_have_url(f"{live_server.url}/cashiering/reports/daily-cash/?day={today()}")
    assert console_errors == []


def test_the_billing_specialists_home_counts_held_reads_and_adjustments(
    role_users, live_server, page, console_errors, water_meter
):
    AccountFactory(bill_cycle=None, name="No Cycle Ranch")
    hold_two_reads(water_meter)
    big_adjustment(role_users[Role.BILLING])
    open_home(page, live_server, "billing")
    expect(figure(page, "held-reads")).to_have_text("2")
    expect(part(page, "held-reads", "High")).to_contain_text("1")
    expect(part(page, "held-reads", "Zero")).to_contain_text("1")
    expect(figure(page, "adjustments")).to_have_text("1")
    expect(part(page, "adjustments", "Amount")).to_contain_text("−$250.00")
    expect(figure(page, "no-cycle")).not_to_have_text("0")
    part(page, "held-reads", "High").get_by_role("link").click()
    # The held-reads page, filtered to that reason.
    expect(page).to_have_url(re.compile(r"/billing/reads/.*\?reason=high$"))
    expect(page.locator("tbody tr[id^=held-]")).to_have_count(1)
    expect(page.locator("tbody tr[id^=held-]")).to_contain_text("High")
    page.go_back()
    page.locator('[data-tile="no-cycle"] [data-tile-link]').click()
    expect(page.get_by_role("cell", name="No Cycle Ranch")).to_be_visible()
    assert console_errors == []


def test_the_credit_representatives_home_counts_pledges_and_crews(
    role_users, live_server, page, console_errors
):
    account = AccountFactory(name="Ana Ruiz")
    Pledge.objects.create(
        account=account,
        agency=Pledge.Agency.MESACAN,
        amount=D("75.00"),
        pledged_on=today() - timedelta(days=20),
        expires_on=today() + timedelta(days=3),
        recorded_by=role_users[Role.CREDIT],
    )
    open_home(page, live_server, "credit")
    expect(figure(page, "pledges-expiring")).to_have_text("1")
    expect(figure(page, "crews")).to_have_text("0")
    expect(figure(page, "worklist")).to_have_text("0")
    expect(figure(page, "heat")).to_be_visible()
    page.locator('[data-tile="pledges-expiring"] [data-tile-link]').click()
    expect(page.get_by_role("cell", name=account.number)).to_be_visible()
    expect(page.get_by_role("row")).to_have_count(2)  # the header and the one pledge
    assert console_errors == []


def test_the_supervisors_home_counts_approvals_and_overdue_work(
    role_users, live_server, page, console_errors
):
    big_adjustment(role_users[Role.BILLING])
    work_item_open(
        kind="dispute",
        section=Section.CREDIT,
        title="Disputed disconnect fee",
        due_on=today() - timedelta(days=3),
    )
    open_home(page, live_server, "supervisor")
    expect(figure(page, "approvals")).to_have_text("1")
    expect(part(page, "approvals", "Billing adjustment")).to_contain_text("1")
    expect(figure(page, "overdue-work")).to_have_text("1")
    expect(part(page, "overdue-work", "Credit Services")).to_contain_text("1")
    expect(figure(page, "payments-today")).to_have_text("$0.00")
    part(page, "overdue-work", "Credit Services").get_by_role("link").click()
    expect(page.get_by_role("link", name="Disputed disconnect fee")).to_be_visible()
    assert console_errors == []


def test_the_administrators_home_shows_admin_and_the_systems_health(
    role_users, live_server, page, console_errors
):
    open_home(page, live_server, "admin")
    expect(figure(page, "health")).to_be_visible()
    expect(part(page, "health", "Database")).to_contain_text("reachable")
    expect(figure(page, "last-bill-run")).to_have_text("None yet")
    expect(figure(page, "last-collections-run")).to_have_text("None yet")
    page.locator('[data-tile="django-admin"] [data-tile-link]').click()
    expect(page.get_by_role("heading", name="Configuration")).to_be_visible()
    assert console_errors == []

"""A crew is never sent to a held account: a hold in force cancels the
account's pending disconnect orders with the hold as the reason, and the
daily run cancels the orders that heat, a flag or a payment under the
minimum now block (docs/collections.md, "Holds and the crew sheet")."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import FieldActivity
from accounts.services import payment_post
from credit.models import CollectionState, HeatDay
from credit.services.arrangements import arrangement_make
from credit.services.assistance import pledge_record
from credit.services.bankruptcy import bankruptcy_record
from credit.services.collections import collections_run
from credit.services.disconnects import disconnect_orders_review
from credit.services.holds import hold_place
from mesa_cs.lib.roles import Role
from tests.credit.test_collections import DISCONNECT, ELIGIBLE, NOTICE, REMINDER, delinquent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LATER = date(2027, 6, 30)  # a hold's end well after any day these tests run


def ordered_many(*addresses):
    """Accounts whose disconnect orders wait for the crew on DISCONNECT."""
    accounts = [delinquent(address=address) for address in addresses]
    for day in (REMINDER, NOTICE, ELIGIBLE, DISCONNECT):
        collections_run(on=day)
    orders = [FieldActivity.objects.get(account=a, kind="disconnect") for a in accounts]
    assert {order.status for order in orders} == {"pending"}
    return list(zip(accounts, orders, strict=True))


def ordered():
    return ordered_many("1425 E University Dr")[0]


def _pledge(account):
    pledge_record(
        account=account,
        agency="mesacan",
        amount=D("150.00"),
        expires_on=LATER,
        reference="MC-7",
        recorded_by=UserFactory(),
        on=DISCONNECT,
    )
    return "on hold (assistance pledge pending: mesacan (a new leaf) pledge of $150.00"


def _arrangement(account):
    arrangement_make(
        account=account, down_payment=D("40.00"), months=6, made_by=UserFactory(), on=DISCONNECT
    )
    return "on hold (payment arrangement: payment arrangement #"


def _hold(kind, label):
    def place(account):
        hold_place(
            account=account,
            kind=kind,
            reason="Customer called",
            owner=UserFactory(),
            starts_on=DISCONNECT,
        )
        return f"on hold ({label}: customer called)"

    return place


def _bankruptcy(account):
    bankruptcy_record(
        account=account,
        case_number="2:26-bk-01234",
        chapter=7,
        court="",
        petition_on=DISCONNECT,
        recorded_by=UserFactory(),
    )
    return "on hold (bankruptcy stay: chapter 7 case 2:26-bk-01234"


@pytest.mark.parametrize(
    "place",
    [
        _pledge,
        _arrangement,
        _hold("dispute", "dispute under review"),
        _hold("supervisor", "supervisor hold"),
        _hold("medical", "medical certificate"),
        _bankruptcy,
    ],
    ids=["pledge", "arrangement", "dispute", "supervisor", "medical", "bankruptcy"],
)
def test_a_hold_placed_while_a_disconnect_waits_cancels_it_with_the_hold_as_reason(place):
    account, order = ordered()
    reason = place(account)
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert reason in order.completion_notes.lower()
    assert not FieldActivity.objects.filter(
        account=account, kind="disconnect", status="pending"
    ).exists()


def test_the_crew_sheet_lists_no_held_account(client_as):
    (held, _), (other, _) = ordered_many("1425 E University Dr", "1501 E University Dr")
    _pledge(held)
    page = client_as(Role.CREDIT).get(
        reverse("accounts:dispatch"), {"day": DISCONNECT.isoformat(), "kind": "disconnect"}
    )
    html = page.content.decode()
    assert other.number in html
    assert held.number not in html


def test_a_hold_dated_to_start_later_leaves_the_order_until_that_day():
    account, order = ordered()
    starts = timezone.localdate() + timedelta(days=3)
    hold_place(
        account=account, kind="supervisor", reason="Review", owner=UserFactory(), starts_on=starts
    )
    order.refresh_from_db()
    assert order.status == "pending"
    assert disconnect_orders_review(on=starts) == 1
    order.refresh_from_db()
    assert order.status == "cancelled" and "supervisor hold: Review" in order.completion_notes


@pytest.mark.parametrize(
    ("arrange", "reason"),
    [
        (
            lambda account: HeatDay.objects.create(
                day=DISCONNECT, kind="warning", recorded_by=UserFactory()
            ),
            "Not sent: heat protection is in force for water service",
        ),
        (
            lambda account: payment_post(
                account=account, amount=D("100.00"), effective_on=DISCONNECT
            ),
            "Not sent: the past due is $115.40, under the $150.00 minimum",
        ),
        (
            lambda account: account.flags.create(
                kind="no_disconnect", reason="Life support", starts_on=DISCONNECT
            ),
            "Not sent: account flag: do not disconnect",
        ),
    ],
    ids=["heat", "below-minimum", "flag"],
)
def test_the_daily_review_cancels_orders_conditions_now_block(arrange, reason):
    account, order = ordered()
    arrange(account)
    assert disconnect_orders_review(on=DISCONNECT) == 1
    order.refresh_from_db()
    assert order.status == "cancelled" and reason in order.completion_notes
    assert disconnect_orders_review(on=DISCONNECT) == 0  # a second run cancels nothing more


def test_the_collection_run_reviews_the_orders_first():
    account, order = ordered()
    HeatDay.objects.create(
        day=DISCONNECT + timedelta(days=1), kind="warning", recorded_by=UserFactory()
    )
    report = collections_run(on=DISCONNECT + timedelta(days=1))
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert report.as_dict()["disconnects_cancelled"] == 1


def test_once_nothing_stops_it_the_ladder_orders_the_disconnect_again():
    account, order = ordered()
    HeatDay.objects.create(day=DISCONNECT, kind="warning", recorded_by=UserFactory())
    disconnect_orders_review(on=DISCONNECT)
    assert CollectionState.objects.get(account=account).step.action == "eligible"
    collections_run(on=DISCONNECT + timedelta(days=1))
    again = FieldActivity.objects.get(account=account, kind="disconnect", status="pending")
    assert again.scheduled_on == DISCONNECT + timedelta(days=1)

"""Paying a disconnected account's past due orders its reconnection."""

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Deposit, FieldActivity
from accounts.selectors import account_balance
from accounts.services import payment_post
from accounts.services.field import field_activity_complete
from credit.models import HeatDay, Hold
from credit.services.collections import collections_run
from credit.services.disconnects import reconnect_deposit, reconnect_if_cleared
from tests.credit.test_collections import DISCONNECT, ELIGIBLE, NOTICE, REMINDER, delinquent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PHOENIX = ZoneInfo("America/Phoenix")


def disconnected():
    account = delinquent()
    for day in (REMINDER, NOTICE, ELIGIBLE, DISCONNECT):
        collections_run(on=day)
    order = FieldActivity.objects.get(account=account, kind="disconnect")
    field_activity_complete(
        activity_id=order.pk, completed_by=UserFactory(), completed_on=DISCONNECT, register=D("0")
    )
    return account


def test_nothing_is_ordered_while_anything_is_past_due():
    account = disconnected()
    payment_post(account=account, amount=D("100.00"), effective_on=DISCONNECT)
    assert reconnect_if_cleared(account=account, on=DISCONNECT, by=UserFactory()) == []


def test_paying_the_past_due_and_fees_orders_the_reconnect_with_the_trip_charge():
    account = disconnected()
    clerk = UserFactory()
    payment_post(account=account, amount=D("215.40"), effective_on=DISCONNECT)  # bill + $3 notice
    morning = datetime(2026, 11, 15, 10, 0, tzinfo=PHOENIX)
    orders = reconnect_if_cleared(account=account, on=DISCONNECT, by=clerk, now=morning)
    assert [o.scheduled_on for o in orders] == [DISCONNECT]
    assert account.entries.filter(description="Field trip charge (reconnect)").count() == 1
    assert account_balance(account.pk) == D("21.00")
    # Ordering again while pending changes nothing.
    assert reconnect_if_cleared(account=account, on=DISCONNECT, by=clerk, now=morning) == orders
    assert account.entries.filter(description="Field trip charge (reconnect)").count() == 1
    field_activity_complete(
        activity_id=orders[0].pk, completed_by=clerk, completed_on=DISCONNECT, register=D("0")
    )
    assert account.agreements.get().status == "active"


def test_cleared_after_the_cut_off_is_reconnected_the_next_day():
    account = disconnected()
    payment_post(account=account, amount=D("215.40"), effective_on=DISCONNECT)
    evening = datetime(2026, 11, 15, 16, 30, tzinfo=PHOENIX)
    orders = reconnect_if_cleared(account=account, on=DISCONNECT, by=UserFactory(), now=evening)
    assert orders[0].scheduled_on == date(2026, 11, 16)


def test_the_reconnection_deposit_is_twice_the_average_bill():
    from accounts.models import Account
    from tests.billing.conftest import build_billable_city

    build_billable_city(3)
    account = Account.objects.filter(bills__isnull=False).first()
    average = sum(b.current_charges for b in account.bills.all()[:12]) / min(
        account.bills.count(), 12
    )
    assert reconnect_deposit(account) == (average * 2).quantize(D("0.01"))
    assert Deposit.objects.count() == 0


def ordered():
    """An account whose disconnect order waits for the crew."""
    account = delinquent()
    for day in (REMINDER, NOTICE, ELIGIBLE, DISCONNECT):
        collections_run(on=day)
    return account, FieldActivity.objects.get(account=account, kind="disconnect")


def test_paying_before_the_crew_comes_cancels_the_disconnect_order():
    account, order = ordered()
    payment_post(account=account, amount=D("215.40"), effective_on=DISCONNECT)
    assert reconnect_if_cleared(account=account, on=DISCONNECT, by=UserFactory()) == []
    order.refresh_from_db()
    assert order.status == "cancelled" and "Past due paid" in order.completion_notes
    assert not account.entries.filter(description__contains="reconnect").exists()
    assert account.agreements.get().status == "active"


@pytest.mark.parametrize(
    ("arrange", "reason"),
    [
        # A hold row written around hold_place (which cancels the order itself,
        # tests/credit/test_holds_stop_crews.py): completion is the last guard.
        (
            lambda account: Hold.objects.create(
                account=account,
                kind="medical",
                reason="Oxygen",
                owner=UserFactory(),
                starts_on=DISCONNECT,
            ),
            "on hold (medical certificate: Oxygen)",
        ),
        (
            lambda account: account.flags.create(
                kind="no_disconnect", reason="Life support", starts_on=DISCONNECT
            ),
            "may not be done: account flag: do not disconnect.",
        ),
        (
            lambda account: HeatDay.objects.create(
                day=DISCONNECT, kind="warning", recorded_by=UserFactory()
            ),
            "heat protection is in force for water service",
        ),
        (
            lambda account: payment_post(
                account=account, amount=D("100.00"), effective_on=DISCONNECT
            ),
            "the past due is $115.40, under the $150.00 minimum",
        ),
    ],
)
def test_the_crew_may_not_disconnect_once_the_order_no_longer_stands(arrange, reason):
    account, order = ordered()
    arrange(account)
    with pytest.raises(ValidationError) as refused:
        field_activity_complete(
            activity_id=order.pk,
            completed_by=UserFactory(),
            completed_on=DISCONNECT,
            register=D("0"),
        )
    assert reason in refused.value.messages[0]
    assert "Cancel the order instead" in refused.value.messages[0]
    assert account.agreements.get().status == "active"


def test_an_agency_payment_that_clears_the_past_due_reconnects():
    from credit.services.assistance import pledge_paid, pledge_record

    account = disconnected()
    clerk = UserFactory()
    pledge = pledge_record(
        account=account,
        agency="mesacan",
        amount=D("215.40"),
        expires_on=date(2026, 12, 31),
        reference="MC-1",
        recorded_by=clerk,
        on=DISCONNECT,
    )
    pledge_paid(pledge=pledge, payment_amount=D("215.40"), on=DISCONNECT, by=clerk)
    reconnect = FieldActivity.objects.get(account=account, kind="reconnect")
    assert reconnect.status == "pending"
    assert account.entries.filter(description="Field trip charge (reconnect)").count() == 1


def test_a_lockbox_payment_before_the_crew_comes_cancels_the_disconnect_order():
    from cashiering.services.payment_files import payment_file_import

    account, order = ordered()
    content = (
        f"H,LBX-20261115-01,{DISCONNECT.isoformat()},LOCKBOX\n"
        f"P,ITEM-9,{account.number},215.40,CHECK,1001,Payer\n"
        "T,1,215.40,0,0.00\n"
    ).encode()
    _, outcome = payment_file_import(content=content, name="lbx.csv")
    assert outcome.as_dict()["status"] == "accepted"
    order.refresh_from_db()
    assert order.status == "cancelled"

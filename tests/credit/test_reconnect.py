"""Paying a disconnected account's past due orders its reconnection."""

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Deposit, FieldActivity
from accounts.selectors import account_balance
from accounts.services import payment_post
from accounts.services.field import field_activity_complete
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

"""Credit Services' collection run leaves alarm accounts alone: the Alarm
Permit Unit collects its own fees by suspending the permit."""

from datetime import timedelta
from decimal import Decimal as D

import pytest

from accounts.models import Account, JournalEntry
from accounts.services import Charge, charges_post
from credit.models import CollectionEvent, CollectionState
from tests.credit.test_collections import DUE, REMINDER, delinquent, run_on_the_day
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def alarm_account_owing(amount="150.00", due=DUE):
    account = AccountFactory(kind=Account.Kind.ALARM)
    charges_post(
        account=account,
        kind=JournalEntry.Kind.FEE,
        effective_on=due - timedelta(days=30),
        due_on=due,
        description="False alarm",
        charges=[Charge(D(amount), revenue_purpose="alarm_fees")],
    )
    return account


def test_an_alarm_account_past_due_gets_no_reminder_while_a_utility_one_does():
    utility = delinquent()
    alarm = alarm_account_owing()
    report = run_on_the_day(REMINDER).as_dict()
    assert report["reminders"] == 1
    assert report["accounts_examined"] == 1
    assert CollectionEvent.objects.filter(account=utility).count() == 1
    assert not CollectionEvent.objects.filter(account=alarm).exists()
    assert not CollectionState.objects.filter(account=alarm).exists()


def test_an_alarm_account_is_never_walked_up_the_ladder():
    alarm = alarm_account_owing()
    for days in (5, 15, 25, 26, 40):
        run_on_the_day(DUE + timedelta(days=days))
    assert not CollectionEvent.objects.filter(account=alarm).exists()
    assert not alarm.entries.filter(kind="fee").exclude(description="False alarm").exists()

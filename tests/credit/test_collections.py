"""The daily collection run: the ladder step by step, one step per day, and
every hold that stops a disconnection."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from accounts.models import FieldActivity, JournalEntry, Meter, MeterInstallation, ServicePoint
from accounts.services import Charge, charges_post, payment_post
from credit.models import CollectionEvent, CollectionState, HeatDay, Hold, LadderStep
from credit.services.collections import collections_run, past_due_by_account
from credit.services.holds import hold_place
from tests.factories import AccountFactory, UserFactory, agreement, premise

pytestmark = pytest.mark.django_db
DUE = date(2026, 10, 20)
REMINDER, NOTICE, ELIGIBLE, DISCONNECT = (
    DUE + timedelta(days=5),
    DUE + timedelta(days=15),
    DUE + timedelta(days=25),
    DUE + timedelta(days=26),
)


def delinquent(amount="212.40", utility="water", address="1425 E University Dr", due=DUE):
    """An account with one metered service and a bill unpaid since DUE."""
    account = AccountFactory()
    place = premise(address, "85203")
    point = ServicePoint.objects.create(premise=place, utility=utility)
    meter = Meter.objects.create(
        number=f"M{account.pk:08d}", utility=utility, dials=5, status="installed"
    )
    MeterInstallation.objects.create(
        meter=meter, service_point=point, installed_on=date(2020, 1, 1), install_read=0
    )
    agreement(
        account,
        utility=utility,
        schedule="W1.1",
        premise_obj=place,
        service_point=point,
        status="active",
    )
    charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=due - timedelta(days=21),
        due_on=due,
        description="Bill",
        charges=[Charge(D(amount), utility)],
    )
    return account


def run_on_the_day(day: date):
    """The day's run, on that day: a run for a day that has not come yet is
    refused, so a test that walks an account up its ladder moves the clock
    (noon in Phoenix) to each day it runs."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    with time_machine.travel(
        datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("America/Phoenix")), tick=False
    ):
        return collections_run(on=day)


def steps(account):
    return list(
        CollectionEvent.objects.filter(account=account)
        .order_by("run_on")
        .values_list("run_on", "step__action")
    )


def test_past_due_counts_only_what_is_due():
    account = delinquent()
    charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=DUE + timedelta(days=9),
        due_on=DUE + timedelta(days=30),
        description="Next bill",
        charges=[Charge(D("90.00"), "water")],
    )
    assert past_due_by_account(DUE) == {}
    assert past_due_by_account(DUE + timedelta(days=10)) == {account.pk: D("212.40")}
    payment_post(account=account, amount=D("250.00"), effective_on=DUE + timedelta(days=11))
    assert past_due_by_account(DUE + timedelta(days=12)) == {}


def test_the_ladder_one_step_at_a_time_to_a_disconnect_order():
    account = delinquent()
    assert collections_run(on=REMINDER - timedelta(days=1)).as_dict()["reminders"] == 0
    assert collections_run(on=REMINDER).as_dict()["reminders"] == 1
    collections_run(on=NOTICE - timedelta(days=1))  # too early for the notice
    notice = collections_run(on=NOTICE).as_dict()
    assert notice["notices"] == 1 and notice["fees"] == "3.00"
    assert account.entries.filter(kind="fee", description="Disconnect notice charge").exists()
    assert FieldActivity.objects.get(account=account, kind="door_hanger").scheduled_on == (
        NOTICE + timedelta(days=1)
    )
    assert collections_run(on=ELIGIBLE).as_dict()["eligible"] == 1
    order = collections_run(on=DISCONNECT).as_dict()
    assert order["disconnect_orders"] == 1
    assert FieldActivity.objects.get(account=account, kind="disconnect").scheduled_on == DISCONNECT
    assert [action for _, action in steps(account)] == [
        "reminder",
        "notice",
        "eligible",
        "disconnect",
    ]


def test_a_second_run_for_the_same_date_does_nothing():
    account = delinquent()
    collections_run(on=REMINDER)
    collections_run(on=NOTICE)
    entries = account.entries.count()
    again = collections_run(on=NOTICE).as_dict()
    assert again["notices"] == 0 and again["already_moved"] == 1
    assert account.entries.count() == entries
    assert FieldActivity.objects.filter(account=account, kind="door_hanger").count() == 1
    assert len(steps(account)) == 2


def test_at_most_one_step_per_date_even_when_several_are_overdue():
    account = delinquent()
    collections_run(on=DISCONNECT)  # first run long after the due date
    assert [action for _, action in steps(account)] == ["reminder"]


def test_a_past_due_of_149_99_is_never_disconnected():
    account = delinquent(amount="149.99")
    for day in (REMINDER, NOTICE, ELIGIBLE, DISCONNECT):
        report = collections_run(on=day).as_dict()
    assert [action for _, action in steps(account)] == ["reminder"]
    assert report["holds"] == {"below_minimum": 1}
    assert CollectionState.objects.get(account=account).held_by == "below_minimum"


def _walk_to_eligible(account):
    for day in (REMINDER, NOTICE, ELIGIBLE):
        collections_run(on=day)
    assert steps(account)[-1][1] == "eligible"


@pytest.mark.parametrize(
    "kind",
    [
        Hold.Kind.ARRANGEMENT,
        Hold.Kind.PLEDGE,
        Hold.Kind.MEDICAL,
        Hold.Kind.BANKRUPTCY,
        Hold.Kind.DISPUTE,
        Hold.Kind.SUPERVISOR,
    ],
)
def test_every_hold_stops_the_disconnect(kind):
    account = delinquent()
    _walk_to_eligible(account)
    hold_place(account=account, kind=kind, reason="test", owner=UserFactory(), starts_on=ELIGIBLE)
    report = collections_run(on=DISCONNECT).as_dict()
    assert report["disconnect_orders"] == 0 and report["holds"] == {kind: 1}
    assert not FieldActivity.objects.filter(account=account, kind="disconnect").exists()


def test_a_hold_that_ended_lets_the_ladder_go_on():
    account = delinquent()
    _walk_to_eligible(account)
    hold_place(
        account=account,
        kind=Hold.Kind.DISPUTE,
        reason="bill disputed",
        owner=UserFactory(),
        starts_on=ELIGIBLE,
        ends_on=DISCONNECT,
    )
    assert collections_run(on=DISCONNECT).as_dict()["held"] == 1
    assert collections_run(on=DISCONNECT + timedelta(days=1)).as_dict()["disconnect_orders"] == 1


def _at_eligible(account, on):
    eligible = LadderStep.objects.get(ladder__customer_class="residential", action="eligible")
    CollectionState.objects.create(
        account=account, oldest_due_on=DUE, step=eligible, step_on=on - timedelta(days=1)
    )


def test_heat_protection_blocks_electric_in_summer_and_water_in_a_warning():
    summer = date(2026, 7, 1)
    electric = delinquent(utility="electric", due=date(2026, 5, 20))
    water = delinquent(address="2255 E Brown Rd", due=date(2026, 5, 20))
    for account in (electric, water):
        _at_eligible(account, summer)
    report = collections_run(on=summer).as_dict()
    assert report["disconnect_orders"] == 1 and report["holds"] == {"heat": 1}
    assert FieldActivity.objects.get(kind="disconnect").account == water

    october = date(2026, 10, 5)
    HeatDay.objects.create(day=october, kind=HeatDay.Kind.WARNING, recorded_by=UserFactory())
    late = delinquent(address="610 N Date", due=date(2026, 9, 1))
    _at_eligible(late, october)
    assert collections_run(on=october).as_dict()["holds"] == {"heat": 2}


def test_a_forecast_day_protects_electric_only():
    hot = date(2026, 10, 6)
    HeatDay.objects.create(day=hot, kind=HeatDay.Kind.FORECAST, recorded_by=UserFactory())
    electric = delinquent(utility="electric", due=date(2026, 9, 1))
    water = delinquent(address="2255 E Brown Rd", due=date(2026, 9, 1))
    _at_eligible(electric, hot)
    _at_eligible(water, hot)
    report = collections_run(on=hot).as_dict()
    assert report["holds"] == {"heat": 1} and report["disconnect_orders"] == 1


def test_paying_the_past_due_takes_the_account_off_the_ladder():
    account = delinquent()
    collections_run(on=REMINDER)
    payment_post(account=account, amount=D("212.40"), effective_on=REMINDER + timedelta(days=1))
    report = collections_run(on=REMINDER + timedelta(days=2)).as_dict()
    assert report["cleared"] == 1
    state = CollectionState.objects.get(account=account)
    assert state.step is None and state.oldest_due_on is None


def test_the_command_prints_the_counts_as_json(capsys):
    delinquent()
    call_command("run_collections", "--date", REMINDER.isoformat(), "--json")
    out = capsys.readouterr().out
    assert '"accounts_examined": 1' in out and '"reminders": 1' in out and '"held": 0' in out


def test_a_run_for_a_date_before_the_latest_is_refused():
    from django.core.management.base import CommandError

    from credit.services.collections import CollectionsError

    delinquent()
    collections_run(on=NOTICE)
    with pytest.raises(CollectionsError, match="already ran"):
        collections_run(on=REMINDER)
    with pytest.raises(CommandError, match="already ran"):
        call_command("run_collections", "--date", REMINDER.isoformat())


def test_a_final_bill_climbs_to_the_agency_and_a_write_off_request():
    from credit.models import AgencyReferral, WriteOff

    account = delinquent()
    account.status = "final"
    account.save(update_fields=["status"])
    days = {
        "reminder": REMINDER,
        "final_collection": REMINDER + timedelta(days=15),
        "agency": REMINDER + timedelta(days=60),
        "write_off": REMINDER + timedelta(days=150),
    }
    for day in days.values():
        run_on_the_day(day)
    assert [action for _, action in steps(account)] == list(days)
    referral = AgencyReferral.objects.get(account=account)
    assert referral.amount == D("212.40") and referral.referred_on == days["agency"]
    write_off = WriteOff.objects.get(account=account)
    assert write_off.status == "pending" and write_off.amount == D("212.40")


def test_a_hand_over_that_is_refused_leaves_the_account_where_it_was():
    from credit.models import WriteOff

    account = delinquent()
    account.status = "final"
    account.save(update_fields=["status"])
    for day in (REMINDER, REMINDER + timedelta(days=15), REMINDER + timedelta(days=60)):
        run_on_the_day(day)
    write_off_day = REMINDER + timedelta(days=150)
    # Paid in full, dated after the run: past due on the run date, nothing owed.
    payment_post(
        account=account, amount=D("212.40"), effective_on=write_off_day + timedelta(days=1)
    )
    report = run_on_the_day(write_off_day).as_dict()
    assert report["refused"] == 1 and report["write_offs"] == 0
    assert not WriteOff.objects.filter(account=account).exists()
    assert CollectionState.objects.get(account=account).step.action == "agency"

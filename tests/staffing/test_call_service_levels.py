"""Service-level math on a small interval file checked by hand, through
the import and the page's selector; the pure rules at their edges.

The file (tests/staffing/calls_files.py), by hand:

billing 11/02 08:00, queue row: offered 10, answered 8, abandoned 1, 6 within 20 s,
    200 s total delay, handle 1200 + 120 + 240 = 1560 s.
    service level 6/10 = 60.0 % (missed, target 80)
    speed of answer 200/8 = 25.0 s (met, <= 60)
    abandonment 1/10 = 10.0 % (missed, <= 5)
    handle time 1560/8 = 195.0 s
    occupancy from the agent rows: 4 x 390 = 1560 s over 900+900+600+900 = 3300 s
        = 47.27 -> 47.3 % (missed: outside 60 to 80)
billing 11/02 08:15: offered 5, answered 4, abandoned 1, 4 within, 40 s, handle 720 s.
    service level 4/5 = 80.0 % (met: at least 80), speed 40/4 = 10.0 s, abandonment
    20.0 %, handle 720/4 = 180.0 s, occupancy 720/1800 = 40.0 %.
payments 11/02 08:00: offered 4, answered 4, 2 within, 100 s, handle 600 s.
    service level 50.0 %, speed 25.0 s, abandonment 0.0 % (met), handle 150.0 s,
    occupancy none (no agent rows).
billing 11/03 08:00: no calls: no figure, "no calls", neither met nor missed.

Day 11/02 (all queues): offered 19, answered 16, abandoned 2, 12 within, 340 s,
    handle 1560 + 720 + 600 = 2880 s, agents 2280 s of 5100 s staffed.
    service level 12/19 = 63.16 -> 63.2 % (the ratio of the sums: the average
    of the intervals' 60, 80 and 50 would be 63.3)
    speed 340/16 = 21.25 -> 21.3 s (half-up; half-even would say 21.2)
    abandonment 2/19 = 10.53 -> 10.5 %, handle 2880/16 = 180.0 s,
    occupancy 2280/5100 = 44.71 -> 44.7 %.
Queue billing, both days: offered 15, answered 12, abandoned 2, 10 within, 240 s,
    handle 2280 s: service level 66.7 %, speed 20.0 s, abandonment 13.3 %,
    handle 190.0 s, occupancy 2280/5100 = 44.7 %.
Agent 4101 (its own rows): offered 4, answered 4, 4 within, 40 s, handle 750 s,
    staffed 1800 s: service level 100.0 %, speed 10.0 s, handle 187.5 s,
    occupancy 750/1800 = 41.67 -> 41.7 %.
Agent 4103: 2 answered, 40 s, handle 390 of 600 s: speed 20.0 s, handle 195.0 s,
    occupancy 65.0 % (met).
"""

from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from accounts.models import Contact
from staffing.models import Section, StaffProfile
from staffing.rules import service_levels as rules
from staffing.selectors.calls import service_levels
from staffing.services.intervals import intervals_import
from tests.factories import AccountFactory, UserFactory
from tests.staffing.calls_files import HAND_CHECKED, interval_csv

pytestmark = pytest.mark.django_db

DAY1, DAY2 = date(2026, 11, 2), date(2026, 11, 3)


@pytest.fixture
def hand_file(db):
    summary, _ = intervals_import(content=interval_csv(*HAND_CHECKED), filename="hand.csv")
    assert summary["errors"] == [] and summary["new"] == len(HAND_CHECKED)


def _key(value) -> str:
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return f"{value:%Y-%m-%d}" if isinstance(value, date) else value


def _by(rows, heading):
    return {_key(row[heading]): row for row in rows}


def test_figures_by_interval_match_the_hand_calculation(hand_file):
    rows = _by(service_levels(DAY1, DAY2, by="interval", queue="billing"), "Interval")
    first = rows["2026-11-02 08:00"]
    assert first["service_level_percent"] == D("60.0") and first["service_level_target"] == "missed"
    assert (
        first["speed_of_answer_seconds"] == D("25.0") and first["speed_of_answer_target"] == "met"
    )
    assert first["abandonment_percent"] == D("10.0") and first["abandonment_target"] == "missed"
    assert first["handle_time_seconds"] == D("195.0")
    assert first["occupancy_percent"] == D("47.3") and first["occupancy_target"] == "missed"
    second = rows["2026-11-02 08:15"]
    assert (second["service_level_percent"], second["service_level_target"]) == (D("80.0"), "met")
    assert second["speed_of_answer_seconds"] == D("10.0")
    assert second["abandonment_percent"] == D("20.0")
    assert second["handle_time_seconds"] == D("180.0")
    assert second["occupancy_percent"] == D("40.0")
    quiet = rows["2026-11-03 08:00"]
    assert quiet["service_level_percent"] is None and quiet["service_level_target"] == "no calls"
    assert quiet["speed_of_answer_target"] == "no calls"
    payments = _by(service_levels(DAY1, DAY1, by="interval", queue="payments"), "Interval")
    only = payments["2026-11-02 08:00"]
    assert (only["service_level_percent"], only["abandonment_percent"]) == (D("50.0"), D("0.0"))
    assert only["abandonment_target"] == "met" and only["handle_time_seconds"] == D("150.0")
    assert only["occupancy_percent"] is None and only["occupancy_target"] == "no calls"


def test_a_day_is_the_ratio_of_its_sums_rounded_half_up(hand_file):
    rows = _by(service_levels(DAY1, DAY2, by="day"), "Day")
    day = rows["2026-11-02"]
    assert (day["offered"], day["answered"], day["abandoned"], day["answered_in_20s"]) == (
        19, 16, 2, 12,
    )  # fmt: skip
    assert day["service_level_percent"] == D("63.2")
    assert day["speed_of_answer_seconds"] == D("21.3")
    assert day["abandonment_percent"] == D("10.5")
    assert day["handle_time_seconds"] == D("180.0")
    assert day["occupancy_percent"] == D("44.7")
    assert rows["2026-11-03"]["service_level_target"] == "no calls"
    assert rows["All"]["offered"] == 19 and rows["All"]["service_level_percent"] == D("63.2")


def test_figures_by_queue_and_by_agent(hand_file):
    queues = _by(service_levels(DAY1, DAY2, by="queue"), "Queue")
    billing = queues["billing"]
    assert billing["service_level_percent"] == D("66.7")
    assert billing["speed_of_answer_seconds"] == D("20.0")
    assert billing["abandonment_percent"] == D("13.3")
    assert billing["handle_time_seconds"] == D("190.0")
    assert billing["occupancy_percent"] == D("44.7")
    assert set(queues) == {"billing", "payments", "All"}
    ana = UserFactory(username="ana", first_name="Ana", last_name="Diaz")
    StaffProfile.objects.create(user=ana, section=Section.CONTACT_CENTER, phone_agent_id="4101")
    agents = _by(service_levels(DAY1, DAY2, by="agent"), "Agent")
    first = agents["Ana Diaz (4101)"]
    assert first["service_level_percent"] == D("100.0")
    assert first["speed_of_answer_seconds"] == D("10.0")
    assert first["handle_time_seconds"] == D("187.5")
    assert first["occupancy_percent"] == D("41.7")
    third = agents["4103 (no staff member)"]
    assert third["speed_of_answer_seconds"] == D("20.0")
    assert (third["occupancy_percent"], third["occupancy_target"]) == (D("65.0"), "met")
    one = _by(service_levels(DAY1, DAY2, by="day", agent="4103"), "Day")["2026-11-02"]
    assert (one["answered"], one["occupancy_percent"]) == (2, D("65.0"))


def test_first_contact_resolution_counts_calls_with_no_contact_again_within_seven_days(db):
    """Four calls on 11/02, the contact log's only figures:
    account A: called 11/02, again 11/05 (within 7 days): not resolved;
               its 11/05 call is resolved (nothing after it);
    account B: called 11/02, walked in 11/10 (8 days later): resolved;
    account C: called 11/02, we mailed a letter 11/03 (not the customer): resolved.
    11/02: 2 of 3 resolved = 66.7 %; 11/05: 1 of 1; the period 3 of 4 = 75.0 % (missed).
    A call on 12/01 is left out of a period judged on 12/04: its 7 days have not passed."""
    zone = timezone.get_default_timezone()
    clerk = UserFactory(username="joe", first_name="Joe", last_name="Ruiz")
    StaffProfile.objects.create(user=clerk, section=Section.CONTACT_CENTER, phone_agent_id="4102")

    def contact(account, day, channel=Contact.Channel.CALL, by=clerk):
        Contact.objects.create(
            account=account, channel=channel, topic=Contact.Topic.BILLING, notes="Bill question",
            created_by=by, created_at=datetime(2026, 11, 1, 9, tzinfo=zone) + timedelta(days=day - 1),
        )  # fmt: skip

    a, b, c = AccountFactory(), AccountFactory(), AccountFactory()
    contact(a, 2)
    contact(a, 5)
    contact(b, 2)
    contact(b, 10, Contact.Channel.WALK_IN)
    contact(c, 2)
    contact(c, 3, Contact.Channel.LETTER, by=None)
    contact(c, 31)  # 12/01
    now = datetime(2026, 12, 4, 12, tzinfo=zone)
    intervals_import(content=interval_csv(*HAND_CHECKED), filename="hand.csv")
    days = _by(service_levels(DAY1, date(2026, 12, 3), by="day", now=now), "Day")
    assert days["2026-11-02"]["first_contact_percent"] == D("66.7")
    assert days["All"]["first_contact_percent"] == D("75.0")
    assert days["All"]["first_contact_target"] == "missed"
    assert days["All"]["first_contact_calls"] == 4
    agents = _by(service_levels(DAY1, date(2026, 12, 3), by="agent", now=now), "Agent")
    assert agents["Joe Ruiz (4102)"]["first_contact_percent"] == D("75.0")
    # The contact log records no queue: a queue's page shows none.
    billing = service_levels(DAY1, DAY2, by="day", queue="billing", now=now)
    assert billing[-1]["first_contact_percent"] is None


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("service_level", D("80.0"), "met"),
        ("service_level", D("79.9"), "missed"),
        ("speed_of_answer", D("60.0"), "met"),
        ("speed_of_answer", D("60.1"), "missed"),
        ("abandonment", D("5.0"), "met"),
        ("abandonment", D("5.1"), "missed"),
        ("occupancy", D("60.0"), "met"),
        ("occupancy", D("80.0"), "met"),
        ("occupancy", D("59.9"), "missed"),
        ("occupancy", D("80.1"), "missed"),
        ("first_contact", D("80.0"), "met"),
        ("first_contact", D("79.9"), "missed"),
        ("service_level", None, "no calls"),
    ],
)
def test_each_target_is_met_at_its_edge(name, value, expected):
    assert rules.verdict(name, value, rules.Targets()) == expected


def test_nothing_to_divide_by_gives_no_figure():
    empty = rules.Totals()
    assert rules.figures(empty) == dict.fromkeys(rules.FIGURES)
    assert rules.first_contact(0, 0) is None
    assert rules.service_level(rules.Totals(offered=3, answered_in_target=2)) == D("66.7")

"""Productivity figures and overtime equal the sums done by hand."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from solidwaste.rules import kpis
from solidwaste.rules.payroll import split_hours, week_start
from solidwaste.selectors.production import production_kpis
from solidwaste.services.production import production_entry_record
from tests.solidwaste.conftest import entry_kwargs, last_monday

EIGHT, FORTY = D("8"), D("40")


def test_the_ratios_round_half_up_and_refuse_nothing_to_divide_by():
    assert kpis.lifts_per_hour(1000, D("8")) == D("125.0")
    assert kpis.lifts_per_hour(1001, D("8")) == D("125.1")  # 125.125
    assert kpis.misses_per_thousand(3, 2000) == D("1.50")
    assert kpis.misses_per_thousand(1, 3000) == D("0.33")
    assert kpis.tons_per_route(D("25.05"), 2) == D("12.53")  # 12.525
    assert kpis.percent_of_target(900, D("1000")) == D("90.0")
    assert kpis.expected_lifts(1000, D("4"), EIGHT) == D("500")
    assert kpis.per_unit_cost(D("1000.00"), D("12.5")) == D("80.00")
    assert kpis.lifts_per_hour(10, D("0")) is None
    assert kpis.misses_per_thousand(0, 0) is None


def test_hours_over_8_in_a_day_are_overtime():
    monday = date(2026, 11, 2)
    split = split_hours({monday: D("9.5")}, day_limit=EIGHT, week_limit=FORTY)
    assert split == {monday: (D("8.0"), D("1.5"))}


def test_straight_hours_past_40_in_the_week_are_overtime_from_the_day_they_cross():
    sunday = date(2026, 11, 1)
    assert week_start(sunday + timedelta(days=6)) == sunday
    # Mon-Fri 9 h (1 h overtime each, 8 straight), Saturday 6 h: the 40
    # straight hours are reached on Friday, so Saturday is all overtime.
    days = {sunday + timedelta(days=n): D("9") for n in range(1, 6)}
    days[sunday + timedelta(days=6)] = D("6")
    split = split_hours(days, day_limit=EIGHT, week_limit=FORTY)
    assert [split[d] for d in sorted(split)] == [(D("8"), D("1"))] * 5 + [(D("0"), D("6"))]
    # Four 10-hour days: 8 overtime, 32 straight; a fifth of 10: 8 more
    # straight reaches exactly 40, and 2 of daily overtime.
    days = {sunday + timedelta(days=n): D("10") for n in range(1, 6)}
    split = split_hours(days, day_limit=EIGHT, week_limit=FORTY)
    assert sum(o for _, o in split.values()) == D("10")
    # The next week starts over.
    next_monday = sunday + timedelta(days=8)
    split = split_hours({**days, next_monday: D("8")}, day_limit=EIGHT, week_limit=FORTY)
    assert split[next_monday] == (D("8"), D("0"))


@pytest.mark.django_db
def test_kpis_by_route_and_operator_equal_the_hand_calculation(fleet):
    monday = last_monday()
    tuesday = monday + timedelta(days=1)
    record = production_entry_record
    # Residential route, target 1,000 a day: Ana two full days, Ben half a day.
    record(**entry_kwargs(fleet, lifts=1040, stops=1000, tons=D("12.30"), hours=D("8"), misses=2))
    record(**entry_kwargs(fleet, work_on=tuesday, lifts=960, stops=940, tons=D("11.70"),
                          hours=D("8"), misses=1))  # fmt: skip
    record(**entry_kwargs(fleet, work_on=tuesday, operator=fleet["ben"], lifts=450, stops=430,
                          tons=D("5.00"), hours=D("4"), misses=0))  # fmt: skip
    # Commercial route, target 200: Ben 8 hours on Monday.
    record(**entry_kwargs(fleet, route=fleet["com"], truck=fleet["t2"], operator=fleet["ben"],
                          lifts=190, stops=70, tons=D("9.00"), hours=D("8"), misses=1))  # fmt: skip
    rows = {row["route"]: row for row in production_kpis(monday, tuesday, by="route")}
    res = rows["RES-101"]
    # 2,450 lifts in 20 hours; 3 operator-days; 2 route-days; 29.00 tons; 3 misses.
    assert (res["lifts"], res["hours"], res["operator_days"], res["route_days"]) == (
        2450, D("20"), 3, 2,
    )  # fmt: skip
    assert res["lifts_per_hour"] == D("122.5")  # 2450 / 20
    assert res["lifts_per_day"] == D("816.7")  # 2450 / 3
    # Expected: 1000 x 8/8 + 1000 x 8/8 + 1000 x 4/8 = 2,500 over 3 operator-days.
    assert res["target_lifts_per_day"] == D("833.3")
    assert res["percent_of_target"] == D("98.0")  # 2450 / 2500
    assert res["tons_per_route"] == D("14.50")  # 29.00 / 2
    assert res["misses_per_1000_lifts"] == D("1.22")  # 3 x 1000 / 2450
    total = rows["Total"]
    # All: 2,640 lifts, 28 hours, 4 operator-days, 3 route-days, 38.00 tons, 4 misses;
    # expected 2,500 + 200 x 8/8 = 2,700.
    assert total["lifts_per_hour"] == D("94.3")  # 2640 / 28 = 94.29
    assert total["percent_of_target"] == D("97.8")  # 2640 / 2700 = 97.78
    assert total["tons_per_route"] == D("12.67")  # 38 / 3
    assert total["misses_per_1000_lifts"] == D("1.52")  # 4000 / 2640
    by_operator = {row["employee_number"]: row for row in production_kpis(monday, tuesday,
                                                                          by="operator")}  # fmt: skip
    ben = by_operator["2002"]
    # Ben: 640 lifts in 12 hours on 2 days; expected 500 + 200 = 700.
    assert (ben["lifts_per_hour"], ben["lifts_per_day"]) == (D("53.3"), D("320.0"))
    assert ben["percent_of_target"] == D("91.4")
    assert ben["route_days"] == 2 and ben["operator"] == "Ben Tso"
    by_day = production_kpis(monday, tuesday, by="day")
    assert [row["day"] for row in by_day] == [monday, tuesday, "Total"]
    assert by_day[0]["lifts"] == 1040 + 190

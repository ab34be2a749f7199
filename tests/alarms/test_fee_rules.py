"""The Alarm Ordinance's fee ladder, window and deadlines (alarms/rules/fees.py)."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alarms.rules.fees import (
    BURGLARY,
    PANIC_ROBBERY,
    alarm_class,
    appeal_deadline,
    false_alarm_fee,
    hearing_by,
    is_false_alarm,
    permit_fee,
    renewal_notice_on,
    window_start,
)


def test_the_burglary_ladder_climbs_to_400_and_stays():
    fees = [false_alarm_fee(BURGLARY, n) for n in range(1, 10)]
    assert fees == [D(x) for x in ("50", "100", "150", "200", "250", "300", "400", "400", "400")]


def test_the_first_panic_or_robbery_alarm_is_free_then_100_then_200_each():
    fees = [false_alarm_fee(PANIC_ROBBERY, n) for n in range(1, 6)]
    assert fees == [D("0"), D("100"), D("200"), D("200"), D("200")]


@given(st.integers(min_value=1, max_value=500))
def test_the_ladder_never_falls(n):
    for klass in (BURGLARY, PANIC_ROBBERY):
        assert false_alarm_fee(klass, n + 1) >= false_alarm_fee(klass, n)


def test_a_count_starts_at_one():
    with pytest.raises(ValueError):
        false_alarm_fee(BURGLARY, 0)


def test_panic_and_robbery_count_together_apart_from_burglary():
    assert alarm_class("burglary") == BURGLARY
    assert alarm_class("panic") == alarm_class("robbery") == PANIC_ROBBERY
    with pytest.raises(ValueError):
        alarm_class("fire")


@pytest.mark.parametrize(
    ("alarm_type", "disposition", "counts"),
    [
        ("burglary", "false", True),
        ("burglary", "valid", False),
        ("burglary", "cancelled", False),  # two-call verification
        ("panic", "cancelled", True),  # cannot be cancelled
        ("robbery", "cancelled", True),
        ("robbery", "valid", False),
    ],
)
def test_what_counts_as_a_false_alarm(alarm_type, disposition, counts):
    assert is_false_alarm(alarm_type, disposition) is counts


def test_an_unknown_disposition_is_refused():
    with pytest.raises(ValueError):
        is_false_alarm("burglary", "maybe")


def test_the_window_is_the_365_days_ending_on_the_incident():
    assert window_start(date(2026, 12, 1)) == date(2025, 12, 2)
    # Across a leap day the window is still 365 days long.
    assert (date(2028, 3, 1) - window_start(date(2028, 3, 1))).days == 364


def test_the_permit_fee_is_ten_dollars_per_function():
    assert permit_fee(["burglary"]) == D("10.00")
    assert permit_fee(["burglary", "panic", "panic"]) == D("20.00")
    with pytest.raises(ValueError):
        permit_fee([])
    with pytest.raises(ValueError):
        permit_fee(["fire"])


def test_the_deadlines():
    assert renewal_notice_on(date(2027, 3, 1)) == date(2026, 12, 31)
    # Invoiced Wednesday 12/02/2026: ten business days later is Wednesday 12/16.
    assert appeal_deadline(date(2026, 12, 2)) == date(2026, 12, 16)
    # Invoiced on a Friday: the count starts on Monday.
    assert appeal_deadline(date(2026, 12, 4)) == date(2026, 12, 18)
    assert hearing_by(date(2026, 12, 2)) == date(2027, 1, 1)

"""The eight worked examples of docs/pricing.md ("Worked examples"), line by line."""

from datetime import date
from decimal import Decimal as D

import pytest

from billing.rules.engine import BillInput, RateError, calculate
from billing.rules.ratebook import shipped_ratebook


def lines(bill: BillInput) -> tuple[list[str], str]:
    calc = calculate(shipped_ratebook(), bill)
    return [str(line.amount) for line in calc.lines], str(calc.total)


def test_example_1_water_across_a_rate_change():
    amounts, total = lines(BillInput("W1.1", date(2026, 1, 12), date(2026, 2, 11), D(12), "3/4"))
    assert amounts == ["18.51", "8.49", "14.25", "3.42", "11.15", "5.10", "8.58", "2.06"]
    assert total == "71.56"


def test_example_2_summer_electric():
    amounts, total = lines(BillInput("E1.1", date(2025, 7, 3), date(2025, 8, 4), D(1240)))
    assert amounts == ["15.50", "76.80", "51.92", "68.20", "17.63"]
    assert total == "230.05"


def test_example_3_summer_electric_assistance():
    bill = BillInput(
        "E1.1", date(2025, 7, 3), date(2025, 8, 4), D(1240), programs=frozenset({"SEA"})
    )
    amounts, total = lines(bill)
    assert amounts == ["15.50", "76.80", "51.92", "68.20", "-15.50", "-7.68", "15.71"]
    assert total == "204.95"


def test_example_4_winter_gas():
    amounts, total = lines(BillInput("G1.1", date(2025, 11, 20), date(2025, 12, 19), D(41)))
    assert amounts == ["13.45", "21.00", "9.76", "17.22", "5.10"]
    assert total == "66.53"


def test_example_5_wastewater_capped_at_winter_average():
    bill = BillInput("S1.1", date(2025, 9, 1), date(2025, 10, 1), D(11), winter_average=D(6))
    assert lines(bill) == (["26.10", "18.30"], "44.40")


def test_example_6_short_period_senior_discount():
    bill = BillInput(
        "W1.1", date(2025, 3, 1), date(2025, 3, 15), D(5), "1", programs=frozenset({"LISR"})
    )
    assert lines(bill) == (["20.58", "6.25", "7.80", "-6.17", "2.36"], "30.82")


def test_example_7_commercial_bins():
    bill = BillInput("SW3.1", date(2025, 4, 1), date(2025, 5, 1), quantity=2, service="4yd:2")
    assert lines(bill) == (["443.60"], "443.60")


def test_example_8_irrigation_long_period():
    bill = BillInput("I1.1", date(2025, 6, 1), date(2025, 8, 15), acres=D("1.25"))
    assert lines(bill) == (["11.83", "57.81"], "69.64")


@pytest.mark.parametrize(
    ("bill", "reason"),
    [
        (BillInput("X9.9", date(2025, 3, 1), date(2025, 4, 1)), "unknown rate schedule"),
        (BillInput("W1.1", date(2025, 1, 1), date(2025, 2, 1), D(5), "3/4"), "no rate version"),
        (BillInput("W1.1", date(2025, 3, 1), date(2025, 4, 1), D(5), "7/8"), "meter size"),
        (BillInput("SW3.1", date(2025, 3, 1), date(2025, 4, 1), service="9yd:9"), "service code"),
        (BillInput("G1.1", date(2025, 3, 1), date(2025, 3, 1)), "end date must be after"),
        (BillInput("G1.1", date(2025, 3, 1), date(2025, 4, 1), D(-1)), "negative"),
    ],
)
def test_input_it_cannot_price_is_refused_with_a_reason(bill, reason):
    with pytest.raises(RateError, match=reason):
        calculate(shipped_ratebook(), bill)


def test_usage_in_whole_units_rounds_an_exact_half_up_like_money():
    from billing.rules.engine import whole_units

    assert whole_units(D("42.5")) == 43  # half-even would give 42
    assert whole_units(D("41.5")) == 42
    assert whole_units(D("41.4999")) == 41

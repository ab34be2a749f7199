"""The read and bill calendar: one cycle per working day, bills two working
days after the read, so no bill is dated on a weekend."""

from datetime import date

from billing.rules.cycles import CYCLES, bill_date, read_date


def test_no_bill_is_dated_on_a_weekend():
    for year in (2026, 2027):
        for month in range(1, 13):
            for cycle in range(1, CYCLES + 1):
                assert bill_date(read_date(year, month, cycle)).weekday() < 5


def test_a_thursday_read_bills_on_monday_and_a_monday_read_on_wednesday():
    assert bill_date(date(2026, 12, 3)) == date(2026, 12, 7)
    assert bill_date(date(2026, 11, 30)) == date(2026, 12, 2)

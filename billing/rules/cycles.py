"""The monthly read and bill calendar: 20 cycles, one per working day."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

CYCLES = 20
# House rule: bills are dated two working days after the read (time to
# validate reads), so no bill is dated, nor a run due, on a weekend.
BILL_DAYS_AFTER_READ = 2


def read_date(year: int, month: int, cycle: int) -> date:
    """Cycle N reads on the N-th working day (Monday to Friday) of the month."""
    day, seen = 0, 0
    while seen < cycle:
        day += 1
        if calendar.weekday(year, month, day) < 5:
            seen += 1
    return date(year, month, day)


def bill_date(read_on: date) -> date:
    day, left = read_on, BILL_DAYS_AFTER_READ
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day

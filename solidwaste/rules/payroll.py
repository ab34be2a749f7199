"""Overtime by the rule payroll pays (docs/solid_waste_production.md): hours
over 8 in a day are overtime, and so are the straight-time hours past 40 in
a payroll week (Sunday to Saturday), from the day they cross 40. An hour is
counted once: a long day's overtime does not also count toward the 40."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

ZERO = Decimal("0.00")


def week_start(day: date) -> date:
    """The Sunday that starts ``day``'s payroll week."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def split_hours(
    hours_by_day: Mapping[date, Decimal], *, day_limit: Decimal, week_limit: Decimal
) -> dict[date, tuple[Decimal, Decimal]]:
    """(regular, overtime) for each day of one person's hours. Give every day
    of each week concerned, from its Sunday: a week's earlier days decide
    whether a later day's hours are past the 40."""
    result: dict[date, tuple[Decimal, Decimal]] = {}
    straight_in_week: dict[date, Decimal] = {}
    for day in sorted(hours_by_day):
        hours = Decimal(hours_by_day[day])
        daily_overtime = max(hours - day_limit, ZERO)
        straight = hours - daily_overtime
        week = week_start(day)
        before = straight_in_week.get(week, ZERO)
        room = max(week_limit - before, ZERO)
        regular = min(straight, room)
        straight_in_week[week] = before + straight
        result[day] = (regular, hours - regular)
    return result

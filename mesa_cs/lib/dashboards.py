"""The supervisors' section dashboards (docs/dashboards.md): for each
section, today's figures and their trend over 13 weeks, registered by the
apps that own them, as home tiles are (mesa_cs.lib.home). Staffing draws the
page and imports no section app; billing, cashiering, credit, alarms and
solid waste register their measures from their AppConfig.ready().

A measure's ``weekly`` is a selector, ``(weeks) -> list``: one value per
week (``weeks`` are the Mondays of the 13 weeks ending this week), in one
grouped query where it can; ``today`` gives today's figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

WEEKS = 13


@dataclass(frozen=True)
class Measure:
    section: str  # staffing.models.Section code
    name: str
    label: str
    today: Callable  # (on: date) -> int | Decimal
    weekly: Callable  # (weeks: list[date]) -> list[int | Decimal]
    url: str  # the list the figure counts
    money: bool = False
    order: int = 100


_MEASURES: dict[str, Measure] = {}


def register_measure(measure: Measure) -> None:
    _MEASURES[f"{measure.section}:{measure.name}"] = measure


def measures_for(section: str) -> list[Measure]:
    found = [m for m in _MEASURES.values() if m.section == section]
    return sorted(found, key=lambda m: (m.order, m.name))


def week_starts(on: date, weeks: int = WEEKS) -> list[date]:
    """The Mondays of the ``weeks`` weeks ending with ``on``'s week."""
    monday = on - timedelta(days=on.weekday())
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def by_week(rows, weeks: list[date]) -> list:
    """Values keyed by a day, summed into the weeks starting on ``weeks``."""
    totals = dict.fromkeys(weeks, 0)
    for day, value in rows:
        monday = day - timedelta(days=day.weekday())
        if monday in totals:
            totals[monday] += value or 0
    return [totals[week] for week in weeks]


def counted(
    *,
    section: str,
    name: str,
    label: str,
    rows: Callable,
    day: str,
    url: str,
    total: str = "",
    money: bool = False,
    order: int = 100,
) -> Measure:
    """A measure that counts (or, with ``total``, sums a field of) the rows
    of ``rows()`` by the date field ``day``: today's, and each week's in one
    grouped query."""
    from django.db.models import Count, Sum

    aggregate = Sum(total) if total else Count("pk")

    def today(on: date):
        value = rows().filter(**{day: on}).aggregate(v=aggregate)["v"]
        return value or 0

    def weekly(weeks: list[date]):
        end = weeks[-1] + timedelta(days=6)
        grouped = (
            rows()
            .filter(**{f"{day}__gte": weeks[0], f"{day}__lte": end})
            .order_by()
            .values_list(day)
            .annotate(v=aggregate)
        )
        return by_week(grouped, weeks)

    return Measure(section, name, label, today, weekly, url, money=money, order=order)

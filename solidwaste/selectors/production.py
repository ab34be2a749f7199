"""Reads of route production: the lists, and the productivity figures by
route, operator, truck or day (solidwaste.rules.kpis does the arithmetic)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import CharField, Count, DecimalField, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Cast, Concat

from solidwaste.models import CrewMember, ProductionEntry, ProductionFile, Route, Truck
from solidwaste.rules import kpis

# What each KPI table is grouped by: the fields naming a group, the
# headings they get in the table.
GROUPS = {
    "route": (("route__code", "route"), ("route__name", "name")),
    "operator": (("operator__employee_number", "employee_number"), ("operator__name", "operator")),
    "truck": (("truck__number", "truck"),),
    "day": (("work_on", "day"),),
}
GROUP_LABELS = {"route": "Route", "operator": "Operator", "truck": "Truck", "day": "Day"}


def entries_list():
    return ProductionEntry.objects.select_related("route", "truck", "operator", "entered_by")


def routes_list():
    return Route.objects.select_related("foreman")


def trucks_list():
    return Truck.objects.all()


def crew_list():
    return CrewMember.objects.select_related("foreman")


def files_list(limit: int = 20):
    return ProductionFile.objects.select_related("uploaded_by")[:limit]


def _pair(first: str, second: str):
    return Concat(Cast(first, CharField()), Value(":"), Cast(second, CharField()))


def _sums() -> dict:
    """Sums of entries, with the operator-days, route-days and the lifts the
    routes' targets expect of those hours (before dividing by the workday)."""
    # First: once "hours" names the sum, F("hours") would read the sum.
    return {
        "target_hours": Sum(
            ExpressionWrapper(
                F("route__daily_lift_target") * F("hours"),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            )
        ),
        "lifts": Sum("lifts"),
        "stops": Sum("stops"),
        "tons": Sum("tons"),
        "hours": Sum("hours"),
        "misses": Sum("misses"),
        "operator_days": Count(_pair("operator_id", "work_on"), distinct=True),
        "route_days": Count(_pair("route_id", "work_on"), distinct=True),
    }


def kpi_row(totals: dict) -> dict:
    """The productivity figures of one group's totals."""
    workday = settings.SOLIDWASTE_WORKDAY_HOURS
    expected = (totals["target_hours"] or Decimal(0)) / workday
    target_per_day = kpis.lifts_per_day(expected, totals["operator_days"])
    return {
        "operator_days": totals["operator_days"],
        "route_days": totals["route_days"],
        "lifts": totals["lifts"],
        "stops": totals["stops"],
        "tons": totals["tons"],
        "hours": totals["hours"],
        "misses": totals["misses"],
        "lifts_per_hour": kpis.lifts_per_hour(totals["lifts"], totals["hours"]),
        "lifts_per_day": kpis.lifts_per_day(totals["lifts"], totals["operator_days"]),
        "target_lifts_per_day": target_per_day,
        "percent_of_target": kpis.percent_of_target(totals["lifts"], expected),
        "tons_per_route": kpis.tons_per_route(totals["tons"], totals["route_days"]),
        "misses_per_1000_lifts": kpis.misses_per_thousand(totals["misses"], totals["lifts"]),
    }


def production_kpis(start: date, end: date, *, by: str = "route", route=None) -> list[dict]:
    """One row per route, operator, truck or day worked in [start, end], and a
    last row of the whole period ("Total")."""
    fields = GROUPS[by]
    entries = ProductionEntry.objects.filter(work_on__gte=start, work_on__lte=end)
    if route is not None:
        entries = entries.filter(route=route)
    names = [name for name, _ in fields]
    rows = []
    for totals in entries.values(*names).annotate(**_sums()).order_by(*names):
        rows.append({heading: totals[name] for name, heading in fields} | kpi_row(totals))
    if rows:
        whole = entries.aggregate(**_sums())
        blank = dict.fromkeys(heading for _, heading in fields[1:])
        rows.append({fields[0][1]: "Total", **blank} | kpi_row(whole))
    return rows


def kpi_targets() -> dict:
    return {
        "workday_hours": settings.SOLIDWASTE_WORKDAY_HOURS,
        "misses_per_1000": settings.SOLIDWASTE_MISSES_PER_1000_TARGET,
    }

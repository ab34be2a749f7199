"""The EMS clerk's tiles on the home page (mesa_cs.lib.home): this month's
route productivity against its targets, and how current the crew sheets
are."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max
from django.urls import reverse

from mesa_cs.lib.dates import today
from mesa_cs.lib.formatting import day_text
from mesa_cs.lib.home import Figure, Tile, register_tile
from mesa_cs.lib.roles import Role
from solidwaste.models import ProductionEntry
from solidwaste.selectors.production import production_kpis

EMS = frozenset({Role.EMS})
# Crew sheets come in the next working day; older than this is behind.
SHEETS_LATE_DAYS = 3


def month_productivity(request) -> Figure:
    end = today()
    start = end.replace(day=1)
    rows = production_kpis(start, end)
    url = reverse("solidwaste:kpis") + f"?start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
    if not rows:
        return Figure("—", url, note="no production recorded this month")
    total = rows[-1]
    percent = total["percent_of_target"]
    return Figure(
        f"{percent} %" if percent is not None else "—",
        url,
        note=f"of the routes' lift target this month ({total['lifts_per_day']} lifts a day)",
        tone="warning" if percent is not None and percent < 90 else "",
    )


def sheets_current(request) -> Figure:
    last = ProductionEntry.objects.aggregate(last=Max("work_on"))["last"]
    url = reverse("solidwaste:production_import")
    if last is None:
        return Figure("—", url, note="no crew sheets recorded yet", tone="warning")
    behind = today() - last > timedelta(days=SHEETS_LATE_DAYS)
    return Figure(
        day_text(last),
        url,
        note="the last day with crew sheets recorded",
        tone="warning" if behind else "",
    )


def register() -> None:
    register_tile(Tile("route-productivity", "Route productivity", EMS, month_productivity, 10))
    register_tile(Tile("crew-sheets", "Crew sheets recorded to", EMS, sheets_current, 20))

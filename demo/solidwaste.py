"""The demo's EMS route production: routes across the four service areas,
their trucks, foremen and equipment operators, and a year of crew sheets
loaded month by month through the product's own import
(``production_import``), as a clerk would; two cost rates for the
financial report. The crew-sheet generator is shared with
``bench/production.py``.

Routes, trucks and crew are reference data an administrator keeps (no
service writes them), so they are made with ``bulk_create``."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from demo import names

QUARTER = Decimal("0.25")
# Per service line: (code prefix, lifts a full day, stops per lift, tons per lift, truck kind).
LINES = {
    "residential": ("RES", 1000, Decimal("0.96"), Decimal("0.0115"), "side_load"),
    "recycling": ("REC", 1000, Decimal("0.97"), Decimal("0.0060"), "side_load"),
    "green": ("GRN", 800, Decimal("0.98"), Decimal("0.0090"), "side_load"),
    "commercial": ("COM", 200, Decimal("0.40"), Decimal("0.0500"), "front_load"),
}
# The demo's mix of 20 routes; the benchmark scales it.
MIX = (("residential", 10), ("recycling", 4), ("green", 3), ("commercial", 3))
AREAS = ("West", "Central", "Northeast", "Southeast")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")


@dataclass(frozen=True)
class Crew:
    """A route as the generator needs it: its codes and its regular crew."""

    code: str
    service_line: str
    truck: str
    operator: str


def _quarter(value: Decimal) -> Decimal:
    return (value / QUARTER).quantize(Decimal(1), rounding=ROUND_HALF_UP) * QUARTER


def fleet_create(routes: int = 20, *, seed: int = 15) -> list[Crew]:
    """``routes`` routes in the demo's mix, a truck and a regular operator
    each, a foreman per five routes and a relief operator per ten. Returns
    the crews, relief operators last (``Crew.operator`` of a route is its
    regular driver)."""
    from solidwaste.models import CrewMember, Route, Truck

    rng = random.Random(seed)
    counts = [(line, max(1, round(n * routes / 20))) for line, n in MIX]
    counts[0] = (counts[0][0], routes - sum(n for _, n in counts[1:]))
    lines = [line for line, n in counts for _ in range(n)]
    foremen = CrewMember.objects.bulk_create(
        CrewMember(
            employee_number=f"{1000 + n}",
            name=f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.LAST_NAMES)}",
            position=CrewMember.Position.FOREMAN,
        )
        for n in range(1, max(1, routes // 5) + 1)
    )
    operators = CrewMember.objects.bulk_create(
        CrewMember(
            employee_number=f"{2000 + n}",
            name=f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.LAST_NAMES)}",
            foreman=foremen[(n - 1) // 5 % len(foremen)],
        )
        for n in range(1, routes + max(1, routes // 10) + 1)
    )
    trucks = Truck.objects.bulk_create(
        Truck(number=f"T-{300 + n}", kind=LINES[line][4]) for n, line in enumerate(lines, 1)
    )
    per_line: dict[str, int] = {}
    made = []
    for n, line in enumerate(lines):
        prefix, target, *_ = LINES[line]
        per_line[line] = per_line.get(line, 0) + 1
        number = 100 + per_line[line]
        street = names.NS_ARTERIALS[n % len(names.NS_ARTERIALS)][0]
        made.append(
            Route(
                code=f"{prefix}-{number}",
                name=f"{street} {DAYS[n % 5]}",
                service_line=line,
                service_area=AREAS[n % 4],
                foreman=foremen[n // 5 % len(foremen)],
                daily_lift_target=target,
            )
        )
    Route.objects.bulk_create(made)
    return [
        Crew(route.code, route.service_line, truck.number, operator.employee_number)
        for route, truck, operator in zip(made, trucks, operators, strict=False)
    ] + [Crew("", "", "", operator.employee_number) for operator in operators[len(made) :]]


def sheet_lines(rng: random.Random, crews: list[Crew], start: date, end: date) -> list[str]:
    """Crew sheet CSV lines for every working day in [start, end] (Monday to
    Friday, and Saturday for the commercial routes): each route driven by its regular operator, by a relief
    operator one day in twenty; 8 to 10 hours with the overtime over 8 on
    the sheet; lifts near the route's target for the hours; a missed pickup
    or so per 1,000 lifts."""
    routes = [c for c in crews if c.code]
    relief = [c.operator for c in crews if not c.code] or [routes[0].operator]
    lines = []
    day = start
    while day <= end:
        if day.weekday() < 6:
            free = list(relief)  # a relief operator covers one route a day
            for crew in routes:
                if day.weekday() == 5 and crew.service_line != "commercial":
                    continue  # only the front-load routes run on Saturdays
                _, target, stops_per, tons_per, _ = LINES[crew.service_line]
                hours = _quarter(Decimal(str(min(max(rng.gauss(8.6, 0.5), 7.0), 10.5))))
                pace = Decimal(str(min(max(rng.gauss(0.97, 0.06), 0.75), 1.2)))
                lifts = int(target * hours / 8 * pace)
                stops = int(lifts * stops_per)
                tons = (lifts * tons_per * Decimal(str(rng.uniform(0.9, 1.1)))).quantize(
                    Decimal("0.01")
                )
                misses = min(stops, _poisson(rng, lifts * 0.0008))
                operator = crew.operator
                if free and rng.random() < 0.05:
                    operator = free.pop(rng.randrange(len(free)))
                overtime = max(hours - 8, Decimal(0))
                lines.append(
                    f"{day},{crew.code},{crew.truck},{operator},{lifts},{stops},{tons},"
                    f"{hours},{misses},{overtime}"
                )
        day += timedelta(days=1)
    return lines


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; the means here are about 1)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def production_csv(lines: list[str]) -> bytes:
    from solidwaste.services.production import HEADER

    return ("\n".join([",".join(HEADER), *lines]) + "\n").encode()


def _months(today: date) -> list[tuple[date, date]]:
    """The last twelve months to ``today``, the current one up to yesterday."""
    first = today.replace(day=1)
    spans = []
    for back in range(12, -1, -1):
        index = first.year * 12 + first.month - 1 - back
        start = date(index // 12, index % 12 + 1, 1)
        nxt = date((index + 1) // 12, (index + 1) % 12 + 1, 1)
        spans.append((start, min(nxt - timedelta(days=1), today - timedelta(days=1))))
    return [(s, e) for s, e in spans if s <= e][-12:]


def demo_solidwaste(*, clerk, today: date) -> dict | None:
    """Routes, trucks, crew, a year of production and the cost rates; None
    when already made."""
    from solidwaste.models import CostRate, ProductionEntry, Route
    from solidwaste.services.production import production_import

    if Route.objects.exists():
        return None
    rng = random.Random(15)
    crews = fleet_create(20)
    months = _months(today)
    CostRate.objects.bulk_create(
        [
            CostRate(
                effective_on=months[0][0],
                cost_per_hour=Decimal("142.00"),
                note="FY budget: crew, truck, fuel, maintenance, disposal",
            ),
            CostRate(
                effective_on=date(today.year if today.month >= 7 else today.year - 1, 7, 1),
                cost_per_hour=Decimal("148.50"),
                note="New fiscal year",
            ),
        ],
        ignore_conflicts=True,
    )
    files = 0
    for start, end in months:
        summary, _ = production_import(
            content=production_csv(sheet_lines(rng, crews, start, end)),
            filename=f"crew-sheets-{start:%Y-%m}.csv",
            by=clerk,
        )
        if summary["errors"]:
            raise RuntimeError(f"demo production refused: {summary['errors'][:3]}")
        files += 1
    return {
        "routes": len([c for c in crews if c.code]),
        "crew": len(crews),
        "files": files,
        "entries": ProductionEntry.objects.count(),
    }

"""What a crew sheet's figures may be, for the entry form and the import
alike (docs/solid_waste_production.md, "Entering production")."""

from __future__ import annotations

from decimal import Decimal

# One operator-day: far above the 1,000 lifts of an automated route, so only
# a typing slip (an extra digit) is refused.
MAX_LIFTS = 4000
MAX_STOPS = 4000
MAX_TONS = Decimal("99.99")
# Hours of one operator on one day, on all routes together (a CDL driver's
# duty day is shorter; 16 catches a day typed twice).
MAX_DAY_HOURS = Decimal("16.00")


def figure_problems(
    *, lifts: int, stops: int, tons: Decimal, hours: Decimal, misses: int, overtime_hours: Decimal
) -> dict[str, str]:
    """Field name to what is wrong with it; empty when the figures may be kept."""
    problems = {}
    if not 0 <= lifts <= MAX_LIFTS:
        problems["lifts"] = f"Lifts must be 0 to {MAX_LIFTS:,}."
    if not 0 <= stops <= MAX_STOPS:
        problems["stops"] = f"Stops must be 0 to {MAX_STOPS:,}."
    if not Decimal(0) <= tons <= MAX_TONS:
        problems["tons"] = f"Tons must be 0 to {MAX_TONS}."
    if not Decimal(0) < hours <= MAX_DAY_HOURS:
        problems["hours"] = f"Hours must be more than 0 and at most {MAX_DAY_HOURS}."
    if misses < 0 or misses > stops:
        problems["misses"] = "Misses cannot be more than the stops."
    if overtime_hours < 0 or overtime_hours > hours:
        problems["overtime_hours"] = "Overtime cannot be more than the hours worked."
    return problems

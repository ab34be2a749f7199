"""Route productivity, as the EMS supervisors read it (SWANA practice; the
figures in docs/solid_waste_production.md). Pure arithmetic on totals, so a
test can check each figure against a hand calculation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")


def _ratio(numerator, denominator, places: Decimal) -> Decimal | None:
    """numerator / denominator rounded half-up, or None with nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(places, rounding=ROUND_HALF_UP)


def lifts_per_hour(lifts: int, hours: Decimal) -> Decimal | None:
    return _ratio(lifts, hours, ONE_PLACE)


def lifts_per_day(lifts: int, operator_days: int) -> Decimal | None:
    """Lifts per operator-day: what the 1,000-a-day target is written in."""
    return _ratio(lifts, operator_days, ONE_PLACE)


def tons_per_route(tons: Decimal, route_days: int) -> Decimal | None:
    """Tons per route-day (a route run once on one day)."""
    return _ratio(tons, route_days, TWO_PLACES)


def misses_per_thousand(misses: int, lifts: int) -> Decimal | None:
    return _ratio(Decimal(misses) * 1000, lifts, TWO_PLACES)


def expected_lifts(target_per_day: int, hours: Decimal, workday_hours: Decimal) -> Decimal:
    """The lifts a route's daily target asks of ``hours`` on it: a full
    workday earns the whole target, half a day half of it."""
    return Decimal(target_per_day) * Decimal(hours) / Decimal(workday_hours)


def percent_of_target(lifts: int, expected: Decimal) -> Decimal | None:
    return _ratio(Decimal(lifts) * 100, expected, ONE_PLACE)


def per_unit_cost(cost: Decimal, units) -> Decimal | None:
    """Cost per ton or per lift, to the cent."""
    return _ratio(cost, units, TWO_PLACES)

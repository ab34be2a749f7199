"""Container services as rules (pure functions, no database): which
container a service's schedule bills, the green barrel's six-month minimum,
and the one-time orders' prices (docs/solid_waste_services.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from billing.rules.engine import BillInput, calculate
from billing.rules.ratebook import RateBook
from mesa_cs.lib.dates import add_months
from mesa_cs.lib.money import ZERO, to_money

# The container each schedule bills per container (SW3.1 by its service code).
BILLED_KIND = {
    "SW1.1": "black_90",
    "SW1.2": "black_60",
    "SW1.3": "green",
    "SW3.1": "front_load",
}
# Delivered with a schedule's service but billed by no schedule: the blue
# recycling barrel is included with the black barrel [Mesa]; a roll-off
# container is billed by its tickets.
UNBILLED_KINDS = {
    "SW1.1": {"blue", "roll_off"},
    "SW1.2": {"blue", "roll_off"},
    "SW3.1": {"roll_off"},
}

GREEN_SCHEDULE = "SW1.3"
GREEN_MINIMUM_MONTHS = 6

# One-time prices. The City's [Mesa]: bulk pickup and the landfill use
# program. House figures (no City price on record; industry practice, kept
# here so a change is one line and a test): the residential extra barrel
# pickup and the roll-off ticket's parts.
BULK_LOAD = Decimal("29.00")
BULK_MAX_LOADS = 4
LANDFILL_LOAD = Decimal("15.00")
LANDFILL_MAX_POUNDS = 2000
EXTRA_BARREL_PICKUP = Decimal("10.00")
ROLL_OFF_DELIVERY = Decimal("95.00")
ROLL_OFF_PULL = Decimal("165.00")
ROLL_OFF_PER_TON = Decimal("38.00")
ROLL_OFF_PER_DAY = Decimal("5.00")
MAX_EXTRA_CONTAINERS = 10
MAX_TONS = Decimal("40")
MAX_RENTAL_DAYS = 90
WEEKS_A_MONTH = Decimal(52) / Decimal(12)


def kind_allowed(schedule: str, kind: str, base_schedule: str | None = None) -> bool:
    """A container may go on a service whose schedule (or, for a special
    rate code, its base schedule) bills it or includes it."""
    code = base_schedule or schedule
    return BILLED_KIND.get(code) == kind or kind in UNBILLED_KINDS.get(code, set())


def is_billed_kind(schedule: str, kind: str, base_schedule: str | None = None) -> bool:
    return BILLED_KIND.get(base_schedule or schedule) == kind


def green_minimum_ends(starts_on: date) -> date:
    """The last day the six-month minimum covers."""
    return add_months(starts_on, GREEN_MINIMUM_MONTHS) - timedelta(days=1)


def green_minimum_charge(book: RateBook, starts_on: date, stops_on: date) -> tuple[Decimal, str]:
    """What an early stop still owes: the green barrel's days from the day
    after the stop through the minimum's last day, priced by the engine as a
    bill would price them (nothing when the minimum has run)."""
    last = green_minimum_ends(starts_on)
    if stops_on >= last:
        return ZERO, ""
    calc = calculate(book, BillInput(schedule=GREEN_SCHEDULE, start=stops_on, end=last))
    span = f"{stops_on + timedelta(days=1):%m/%d/%Y}–{last:%m/%d/%Y}"
    return to_money(calc.total), f"Green barrel 6-month minimum, {span}"


@dataclass(frozen=True)
class PricedLine:
    description: str
    amount: Decimal

    def as_dict(self) -> dict:
        return {"description": self.description, "amount": str(self.amount)}


def bin_pickup_price(book: RateBook, service_code: str, on: date) -> Decimal:
    """One pickup of a front-load bin: its weekly-once service code's monthly
    price from the rate book (SW3.1 through the engine) over the weeks in a month."""
    size = service_code.split(":")[0]
    month = calculate(
        book,
        BillInput(schedule="SW3.1", start=on - timedelta(days=30), end=on, service=f"{size}:1"),
    )
    return to_money(month.total / WEEKS_A_MONTH)


def extra_pickup_lines(
    book: RateBook, *, commercial_code: str, containers: int, on: date
) -> list[PricedLine]:
    if commercial_code:
        price = bin_pickup_price(book, commercial_code, on)
        what = f"Extra pickup, {commercial_code.split(':')[0]} bin"
    else:
        price, what = EXTRA_BARREL_PICKUP, "Extra barrel pickup"
    return [PricedLine(f"{what} × {containers}", to_money(price * containers))]


def bulk_lines(loads: int) -> list[PricedLine]:
    return [PricedLine(f"Bulk pickup × {loads} load{'s' if loads > 1 else ''}", BULK_LOAD * loads)]


def landfill_lines(pounds: int) -> list[PricedLine]:
    return [PricedLine(f"Landfill use program, one load ({pounds:,} lb)", LANDFILL_LOAD)]


def roll_off_lines(
    *, size_label: str, delivery: bool, pull: bool, tons: Decimal | None, rental_days: int | None
) -> list[PricedLine]:
    lines = []
    if delivery:
        lines.append(PricedLine(f"Roll-off delivery, {size_label}", ROLL_OFF_DELIVERY))
    if pull:
        lines.append(PricedLine(f"Roll-off pull, {size_label}", ROLL_OFF_PULL))
    if tons:
        lines.append(
            PricedLine(
                f"Disposal, {tons} tons × {ROLL_OFF_PER_TON}", to_money(tons * ROLL_OFF_PER_TON)
            )
        )
    if rental_days:
        lines.append(
            PricedLine(
                f"Rental, {rental_days} days × {ROLL_OFF_PER_DAY}", ROLL_OFF_PER_DAY * rental_days
            )
        )
    return lines

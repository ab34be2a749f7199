"""Rate modelling's pure part (docs/rate_modelling.md): a proposed change
applied to a version's components, and each distinct billing determinant
priced once under the current and the proposed prices.

No database: the service gathers the determinants set-wise and hands them here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from billing.rules.engine import BillInput, RateError, calculate
from billing.rules.ratebook import Block, Component, RateBook, Schedule, Version
from mesa_cs.lib.money import ZERO, to_money

HUNDRED = Decimal(100)
# Component types whose figures are prices; discount, usage credit and tax
# figures are percents or units and a price change leaves them alone.
PRICED_TYPES = ("fixed", "per_unit", "tiered")
# The modelled periods are priced by a one-version book, so the year of the
# synthetic dates never matters; only the month (season) and the days do.
BOOK_START = date(1900, 1, 1)
MODEL_YEAR = 2001


@dataclass(frozen=True)
class Change:
    schedule: str
    component: str = ""
    key: str = ""
    percent: Decimal | None = None
    new_price: Decimal | None = None


@dataclass(frozen=True)
class Determinant:
    """What a bill segment was priced on, less its dates: the schedule, the
    month the period ended (its season), its days and usage, and the
    account's containers, service code, meter size and acres."""

    schedule: str
    month: int
    days: int
    usage: Decimal
    quantity: int = 1
    service: str | None = None
    meter_size: str | None = None
    acres: Decimal | None = None


class ChangeError(ValueError):
    """A change the schedule cannot take; the message names the line."""


def _raised(price: Decimal, percent: Decimal) -> Decimal:
    # A new price keeps the old one's decimals (a rate book prints 30.90, not 31.9815).
    exponent = Decimal(1).scaleb(min(price.as_tuple().exponent, -2))
    return (price * (HUNDRED + percent) / HUNDRED).quantize(exponent, rounding=ROUND_HALF_UP)


def _table(table, key, change, where):
    if key and key not in table:
        raise ChangeError(f"{where}: {key} is not one of its sizes or codes")
    return {
        k: (
            v
            if key and k != key
            else (change.new_price if change.new_price is not None else _raised(v, change.percent))
        )
        for k, v in table.items()
    }


def _changed(component: Component, change: Change, where: str) -> Component:
    if component.type not in PRICED_TYPES:
        return component
    by_table = component.by_meter_size is not None or component.by_service is not None
    if change.key and not by_table:
        raise ChangeError(f"{where}: {component.name} has no prices by meter size or service code")
    if change.new_price is not None:
        if component.type == "tiered":
            raise ChangeError(f"{where}: {component.name} has blocks; change them by a percent")
        if by_table and not change.key:
            raise ChangeError(f"{where}: {component.name} is priced by size; name the size or code")
    if component.by_meter_size is not None:
        return replace(
            component, by_meter_size=_table(component.by_meter_size, change.key, change, where)
        )
    if component.by_service is not None:
        return replace(
            component, by_service=_table(component.by_service, change.key, change, where)
        )
    if component.type == "tiered":
        blocks = tuple(Block(b.upto, _raised(b.price, change.percent)) for b in component.blocks)
        return replace(component, blocks=blocks)
    field = "amount" if component.type == "fixed" else "price"
    old = getattr(component, field)
    new = change.new_price if change.new_price is not None else _raised(old, change.percent)
    return replace(component, **{field: new})


def _takes(component: Component, key: str) -> bool:
    """Does an unnamed change (every price, or every price of one key) reach it?"""
    if component.type not in PRICED_TYPES:
        return False
    table = component.by_meter_size or component.by_service
    return not key or (table is not None and key in table)


def apply_changes(version: Version, changes: list[Change], code: str) -> Version:
    """``version`` with ``changes`` (all for schedule ``code``) applied in order."""
    components = list(version.components)
    for n, change in enumerate(changes, start=1):
        where = f"Change {n} ({code})"
        names = [c.name for c in components]
        if change.component and change.component not in names:
            raise ChangeError(f"{where}: the schedule has no component {change.component!r}")
        touched = False
        for i, component in enumerate(components):
            if change.component and component.name != change.component:
                continue
            if not change.component and not _takes(component, change.key):
                continue
            components[i] = _changed(component, change, where)
            touched = True
        if not touched:
            what = f"is by meter size or service code {change.key}" if change.key else "matches"
            raise ChangeError(f"{where}: no price of the schedule {what}")
    return replace(version, components=tuple(components))


def in_force_on(schedule: Schedule, day: date) -> Version:
    versions = [v for v in schedule.versions if v.effective <= day]
    if not versions:
        raise ChangeError(f"{schedule.code} has no version in force on {day.isoformat()}")
    return versions[-1]


def one_version_book(book: RateBook, versions: dict[str, Version]) -> RateBook:
    """A book holding, for each schedule named, only the given version, in
    force since long ago, so a modelled period is priced by it alone."""
    schedules = {
        code: replace(book.schedules[code], versions=(replace(v, effective=BOOK_START),))
        for code, v in versions.items()
    }
    return replace(book, schedules=schedules)


def price(book: RateBook, d: Determinant) -> Decimal:
    """One determinant's bill segment total, on a period of its days ending
    in its month."""
    end = date(MODEL_YEAR, d.month, 28)
    schedule = book.schedules[d.schedule]
    needs_average = any(
        c.basis == "winter_average_capped" for v in schedule.versions for c in v.components
    )
    bill = BillInput(
        schedule=d.schedule,
        start=end - timedelta(days=d.days),
        end=end,
        usage=d.usage,
        meter_size=d.meter_size,
        quantity=max(d.quantity, 1),
        service=d.service,
        acres=d.acres,
        # Segments keep the water usage, not the winter average it was
        # capped at: the model prices wastewater on the usage itself.
        winter_average=d.usage if needs_average else None,
    )
    return calculate(book, bill).total


@dataclass
class Totals:
    segments: int = 0
    current: Decimal = ZERO
    proposed: Decimal = ZERO
    unpriced: int = 0


def revenue(
    current: RateBook, proposed: RateBook, determinants: list[tuple[Determinant, int]]
) -> dict[str, Totals]:
    """Each schedule's year of revenue under both books: every distinct
    determinant priced once under each, times the segments that had it."""
    totals: dict[str, Totals] = defaultdict(Totals)
    for determinant, count in determinants:
        row = totals[determinant.schedule]
        row.segments += count
        try:
            now, then = price(current, determinant), price(proposed, determinant)
        except RateError:
            row.unpriced += count
            continue
        row.current += now * count
        row.proposed += then * count
    return dict(totals)


def typical_bill(book: RateBook, d: Determinant) -> Decimal:
    """The average monthly bill of a typical customer: its usage, on a
    30-day period ending in each month of the year."""
    months = [price(book, replace(d, month=m, days=30)) for m in range(1, 13)]
    return to_money(sum(months, ZERO) / 12)

"""The rate engine: prices one service period exactly as docs/pricing.md says
("Pricing one period", rules 1 to 7).

Pure functions over the rate book; no database. Every line is rounded to the
cent (half up) the moment it is computed, and the total is the sum of the
rounded lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from billing.rules.ratebook import Block, Component, RateBook, Schedule, Version
from mesa_cs.lib.money import ZERO, to_money

ONE = Decimal(1)
THIRTY = Decimal(30)


class RateError(ValueError):
    """Input the rate book cannot price; the message says why, in one line."""


@dataclass(frozen=True)
class BillInput:
    schedule: str
    start: date
    end: date
    usage: Decimal = ZERO
    meter_size: str | None = None
    quantity: int = 1
    service: str | None = None
    acres: Decimal | None = None
    winter_average: Decimal | None = None
    programs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Line:
    description: str
    amount: Decimal
    component: str
    kind: str
    segment_start: date
    segment_end: date
    quantity: Decimal | None = None
    price: Decimal | None = None
    explanation: str = ""

    def as_dict(self) -> dict:
        data = {
            "description": self.description,
            "amount": str(self.amount),
            "component": self.component,
            "type": self.kind,
            "segment_start": self.segment_start.isoformat(),
            "segment_end": self.segment_end.isoformat(),
            "explanation": self.explanation,
        }
        if self.quantity is not None:
            data["quantity"] = _plain(self.quantity)
        if self.price is not None:
            data["price"] = str(self.price)
        return data


@dataclass(frozen=True)
class Segment:
    version: Version
    first_day: date
    last_day: date
    days: int


@dataclass(frozen=True)
class Calculation:
    schedule: Schedule
    days: int
    factor: Decimal
    season: str | None
    segments: tuple[Segment, ...]
    lines: tuple[Line, ...] = field(default_factory=tuple)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    def as_dict(self) -> dict:
        return {
            "schedule": self.schedule.code,
            "days": self.days,
            "lines": [line.as_dict() for line in self.lines],
            "total": str(self.total),
        }


def whole_units(quantity: Decimal) -> Decimal:
    """Usage billed in whole units (therms from CCF, an estimated read's
    usage), rounded half up like money (docs/pricing.md, "What the engine is given")."""
    return quantity.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _fmt(value: Decimal) -> str:
    """A quantity for an explanation: at most 4 decimals, no trailing zeros."""
    return _plain(value.quantize(Decimal("0.0001")))


def period_factor(days: int) -> Decimal:
    return ONE if 25 <= days <= 35 else Decimal(days) / THIRTY


def segments_for(schedule: Schedule, start: date, end: date) -> tuple[Segment, ...]:
    """Rule 4: one segment per version in force on at least one service day."""
    first_day = start + timedelta(days=1)
    versions = schedule.versions
    if versions[0].effective > first_day:
        raise RateError(f"{schedule.code} has no rate version in force on {first_day.isoformat()}")
    segments = []
    for index, version in enumerate(versions):
        next_effective = versions[index + 1].effective if index + 1 < len(versions) else None
        seg_first = max(first_day, version.effective)
        seg_last = end if next_effective is None else min(end, next_effective - timedelta(days=1))
        if seg_first <= seg_last:
            segments.append(Segment(version, seg_first, seg_last, (seg_last - seg_first).days + 1))
    return tuple(segments)


def calculate(book: RateBook, bill: BillInput) -> Calculation:
    schedule = book.schedules.get(bill.schedule)
    if schedule is None:
        raise RateError(f"unknown rate schedule {bill.schedule!r}")
    if bill.end <= bill.start:
        raise RateError("the end date must be after the start date")
    usage = Decimal(bill.usage)
    if usage < 0:
        raise RateError("usage cannot be negative")
    if bill.quantity is not None and bill.quantity < 1:
        raise RateError("the container quantity must be at least 1")
    if bill.acres is not None and bill.acres < 0:
        raise RateError("acres cannot be negative")
    days = (bill.end - bill.start).days
    factor = period_factor(days)
    season = book.season_of(bill.end.month)
    segments = segments_for(schedule, bill.start, bill.end)
    lines: list[Line] = []
    for segment in segments:
        weight = Decimal(segment.days) / Decimal(days)
        lines += _price_segment(schedule, segment, weight, factor, season, usage, bill)
    return Calculation(
        schedule=schedule,
        days=days,
        factor=factor,
        season=season,
        segments=segments,
        lines=tuple(line for line in lines if line.amount != ZERO),
    )


def _applies(component: Component, season: str | None, month: int, programs) -> bool:
    if component.season is not None and component.season != season:
        return False
    if component.months is not None and month not in component.months:
        return False
    return component.program is None or component.program in programs


def _price_segment(schedule, segment, weight, factor, season, usage, bill) -> list[Line]:
    lines: list[Line] = []
    month = bill.end.month
    share = (
        ""
        if weight == ONE
        else f" × {segment.days}/{bill.end.toordinal() - bill.start.toordinal()} days"
    )
    scale = "" if factor == ONE else f" × {_fmt(factor)} (period factor)"

    def add(component, description, amount, explanation, quantity=None, price=None):
        lines.append(
            Line(
                description=description,
                amount=to_money(amount),
                component=component.name,
                kind=component.type,
                segment_start=segment.first_day,
                segment_end=segment.last_day,
                quantity=quantity,
                price=price,
                explanation=explanation,
            )
        )

    for component in segment.version.components:
        if not _applies(component, season, month, bill.programs):
            continue
        kind = component.type
        if kind == "fixed":
            base = _fixed_amount(schedule, component, bill)
            count = Decimal(bill.quantity or 1) if component.per == "container" else ONE
            per = f" × {count} containers" if component.per == "container" and count != ONE else ""
            add(
                component,
                component.name,
                base * factor * weight * count,
                f"{base}{per}{scale}{share}",
                price=base,
            )
        elif kind == "per_unit":
            quantity, what = _per_unit_quantity(schedule, component, bill, usage, factor)
            add(
                component,
                component.name,
                quantity * component.price * weight,
                f"{_fmt(quantity)} {what} × {component.price}{share}",
                quantity=quantity,
                price=component.price,
            )
        elif kind == "tiered":
            lower = ZERO
            for index, block in enumerate(component.blocks):
                upper = block.upto * factor if block.upto is not None else None
                top = usage if upper is None else min(usage, upper)
                quantity = top - lower
                if quantity > 0:
                    add(
                        component,
                        _block_label(component, index, schedule.unit),
                        quantity * block.price * weight,
                        f"{_fmt(quantity)} {schedule.unit} × {block.price}{share}",
                        quantity=quantity,
                        price=block.price,
                    )
                if upper is None or usage <= upper:
                    break
                lower = upper
        elif kind == "discount":
            base = sum((line.amount for line in lines if line.component == component.of), ZERO)
            add(
                component,
                component.name,
                -(component.percent / 100) * base,
                f"{_plain(component.percent)}% of {component.of} {base}",
            )
        elif kind == "usage_credit":
            price = _first_block_price(segment.version, component.of, season, month, bill.programs)
            credited = min(component.units * factor, usage)
            add(
                component,
                component.name,
                -credited * price * weight,
                f"{_fmt(credited)} {schedule.unit} × {price}{share}",
                quantity=credited,
                price=price,
            )
        elif kind == "tax":
            base = sum((line.amount for line in lines), ZERO)
            add(
                component,
                component.name,
                component.percent / 100 * base,
                f"{_plain(component.percent)}% of {base}",
            )
    return lines


def _fixed_amount(schedule: Schedule, component: Component, bill: BillInput) -> Decimal:
    if component.amount is not None:
        return component.amount
    if component.by_meter_size is not None:
        if bill.meter_size is None:
            raise RateError(f"{schedule.code} prices {component.name} by meter size: give one")
        if bill.meter_size not in component.by_meter_size:
            raise RateError(f"{schedule.code} does not price meter size {bill.meter_size!r}")
        return component.by_meter_size[bill.meter_size]
    if bill.service is None:
        raise RateError(f"{schedule.code} prices {component.name} by service code: give one")
    if bill.service not in component.by_service:
        raise RateError(f"{schedule.code} does not price service code {bill.service!r}")
    return component.by_service[bill.service]


def _per_unit_quantity(schedule, component, bill, usage, factor) -> tuple[Decimal, str]:
    basis = component.basis
    if basis == "usage":
        return usage, schedule.unit
    if basis == "winter_average_capped":
        average = bill.winter_average
        if average is None:
            average = schedule.default_winter_average
        if average is None:
            raise RateError(f"{schedule.code} needs a winter average")
        return min(usage, average), f"{schedule.unit} (usage capped at winter average {average})"
    if basis == "usage_percent":
        return (
            usage * component.percent / 100,
            f"{schedule.unit} ({_plain(component.percent)}% of usage)",
        )
    if bill.acres is None:
        raise RateError(f"{schedule.code} prices by irrigated acres: give them")
    return bill.acres * factor, "acres"


def _first_block_price(version, name, season, month, programs) -> Decimal:
    for component in version.components:
        if (
            component.type == "tiered"
            and component.name == name
            and _applies(component, season, month, programs)
        ):
            return component.blocks[0].price
    raise RateError(f"no tiered component {name!r} applies for the usage credit")


def _block_label(component: Component, index: int, unit: str) -> str:
    blocks: tuple[Block, ...] = component.blocks
    if len(blocks) == 1:
        return component.name
    lower = blocks[index - 1].upto if index else None
    upper = blocks[index].upto
    if lower is None:
        return f"{component.name}, first {_plain(upper)} {unit}"
    if upper is None:
        return f"{component.name}, over {_plain(lower)} {unit}"
    return f"{component.name}, {_plain(lower)} to {_plain(upper)} {unit}"

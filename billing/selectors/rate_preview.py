"""A rate change shown on sample bills: each priced by the engine with the
book as it is (before) and with the edited version in it (after). The
engine is the bill calculator's own; nothing here prices anything itself."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from billing.models import RateSchedule, SpecialRateCode
from billing.rules.engine import BillInput, Calculation, RateError, calculate
from billing.rules.ratebook import Component, RateBookError, Schedule, Version, with_version
from billing.services.rates import ratebook_from_db


@dataclass(frozen=True)
class Sample:
    usage: Decimal
    before: Calculation | None
    after: Calculation | None
    before_error: str = ""
    after_error: str = ""

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after.total - self.before.total

    @property
    def percent(self) -> Decimal | None:
        change = self.change
        if change is None or not self.before.total:
            return None
        return (change * 100 / self.before.total).quantize(Decimal("0.1"))


def _price(book, bill: BillInput) -> tuple[Calculation | None, str]:
    try:
        return calculate(book, bill), ""
    except RateError as exc:
        return None, str(exc)


def rate_preview(
    *,
    schedule: RateSchedule,
    effective: date,
    components: tuple[Component, ...],
    usages: list[Decimal],
    start: date,
    end: date,
    meter_size: str | None = None,
    service: str | None = None,
    quantity: int = 1,
    acres: Decimal | None = None,
) -> list[Sample]:
    try:
        book = ratebook_from_db()
    except RateBookError as exc:
        return [Sample(u, None, None, str(exc), str(exc)) for u in usages]
    version = Version(effective=effective, components=components)
    if schedule.code in book.schedules:
        after_book = with_version(book, schedule.code, version)
    else:  # nothing in force yet: only the draft prices
        shell = Schedule(
            code=schedule.code,
            name=schedule.name,
            utility=schedule.utility,
            customer_class=schedule.customer_class,
            unit=schedule.unit,
            versions=(version,),
            default_winter_average=schedule.default_winter_average,
        )
        after_book = replace(book, schedules={**book.schedules, schedule.code: shell})
    # A special rate code with nothing in force yet is compared with its base
    # schedule: what the services it is made for pay now.
    now_on = schedule.code
    if schedule.code not in book.schedules:
        base = SpecialRateCode.objects.filter(schedule=schedule).values_list(
            "based_on__code", flat=True
        )
        now_on = base.first() or schedule.code
    samples = []
    for usage in usages:
        bill = BillInput(
            schedule=schedule.code,
            start=start,
            end=end,
            usage=usage,
            meter_size=meter_size or None,
            quantity=quantity,
            service=service or None,
            acres=acres,
        )
        before, before_error = _price(book, replace(bill, schedule=now_on))
        after, after_error = _price(after_book, bill)
        samples.append(Sample(usage, before, after, before_error, after_error))
    return samples

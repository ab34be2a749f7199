"""Rate modelling's writes (docs/rate_modelling.md): a scenario is checked,
modelled over the year of billing and saved with its result."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from billing.models import RateScenario, RateScenarioChange
from billing.rules.rate_model import (
    Change,
    ChangeError,
    apply_changes,
    in_force_on,
    one_version_book,
    revenue,
    typical_bill,
)
from billing.rules.ratebook import RateBook, component_spec
from billing.selectors import rate_models as selectors
from billing.selectors.rates import schedule_by_code, user_may_edit_schedule
from billing.services.rates import ratebook_from_db
from mesa_cs.lib.dates import today
from mesa_cs.lib.luhn import validate_no_card_number
from mesa_cs.lib.money import ZERO, to_money

HUNDRED = Decimal(100)
# How far ahead an effective date may be: a council acts within a few years.
MAX_YEARS_AHEAD = 5


def percent_of(change: Decimal, base: Decimal) -> str:
    if not base:
        return ""
    return str((change / base * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _impact(current: Decimal, proposed: Decimal) -> dict:
    current, proposed = to_money(current), to_money(proposed)
    return {
        "current": str(current),
        "proposed": str(proposed),
        "change": str(proposed - current),
        "percent": percent_of(proposed - current, current),
    }


def describe(change: Change) -> str:
    what = change.component or "every price"
    if change.key:
        what += f" ({change.key})"
    if change.new_price is not None:
        return f"{change.schedule}: {what} to {change.new_price.normalize():f}"
    sign = "+" if change.percent >= 0 else ""
    return f"{change.schedule}: {what} {sign}{change.percent.normalize():f} %"


def model(book: RateBook, changes: list[Change], effective: date, year: tuple[date, date]):
    """The scenario's result: revenue by schedule and class over the year of
    billing, and each schedule's typical bill, before and after."""
    started = time.monotonic()
    by_code: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        if change.schedule not in book.schedules:
            raise ChangeError(f"{change.schedule} is not a schedule in force")
        by_code[change.schedule].append(change)
    current_versions, proposed_versions = {}, {}
    for code, code_changes in by_code.items():
        base = in_force_on(book.schedules[code], effective)
        current_versions[code] = base
        proposed_versions[code] = apply_changes(base, code_changes, code)
    current = one_version_book(book, current_versions)
    proposed = one_version_book(book, proposed_versions)
    counts = selectors.active_counts(list(by_code))
    rows, typical_rows = [], []
    classes: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    every = selectors.determinants([book.schedules[code] for code in by_code], *year)
    for code in sorted(by_code):
        schedule = book.schedules[code]
        found = every[code]
        totals = revenue(current, proposed, found).get(code)
        typical = selectors.typical(schedule, found)
        typical_now = typical_bill(current, typical)
        typical_then = typical_bill(proposed, typical)
        estimated = totals is None
        if estimated:
            # No bill in the year: the active services at the typical bill.
            months = 12 * counts[code]["services"]
            now, then, segments, unpriced = typical_now * months, typical_then * months, 0, 0
        else:
            now, then = totals.current, totals.proposed
            segments, unpriced = totals.segments, totals.unpriced
        classes[schedule.customer_class or "—"][0] += now
        classes[schedule.customer_class or "—"][1] += then
        rows.append(
            {
                "code": code,
                "name": schedule.name,
                "customer_class": schedule.customer_class,
                "services": counts[code]["services"],
                "containers": counts[code]["containers"],
                "bill_segments": segments,
                "unpriced": unpriced,
                "estimated": estimated,
                **_impact(now, then),
            }
        )
        typical_rows.append(
            {
                "code": code,
                "name": schedule.name,
                "customer": _typical_text(schedule, typical),
                **_impact(typical_now, typical_then),
            }
        )
    total_now = sum((v[0] for v in classes.values()), ZERO)
    total_then = sum((v[1] for v in classes.values()), ZERO)
    return {
        "year_start": year[0].isoformat(),
        "year_end": year[1].isoformat(),
        "changes": [describe(c) for c in changes],
        "rows": rows,
        "classes": [{"customer_class": k, **_impact(*v)} for k, v in sorted(classes.items())],
        "total": _impact(total_now, total_then),
        "typical": typical_rows,
        # What applying it creates, and the base it was modelled on (so a
        # rate book changed since is noticed, not silently re-priced).
        "versions": {
            code: {
                "base_effective": current_versions[code].effective.isoformat(),
                "base": [component_spec(c) for c in current_versions[code].components],
                "proposed": [component_spec(c) for c in proposed_versions[code].components],
            }
            for code in sorted(by_code)
        },
        "seconds": round(time.monotonic() - started, 3),
    }


def _typical_text(schedule, d) -> str:
    parts = []
    if d.usage or schedule.unit not in ("container", ""):
        parts.append(f"{d.usage.normalize():f} {schedule.unit}")
    if schedule.unit == "container":
        parts.append(f"{d.quantity} container{'s' if d.quantity != 1 else ''}")
    if d.service:
        parts.append(f"service {d.service}")
    if d.meter_size:
        parts.append(f"{d.meter_size} in meter")
    if d.acres:
        parts.append(f"{d.acres.normalize():f} acres")
    return ", ".join(parts) + " a month"


def _check(name, note, effective, changes, by) -> dict:
    errors: dict[str, list[str]] = defaultdict(list)
    for field, value in (("name", name), ("note", note)):
        try:
            validate_no_card_number(value)
        except ValidationError as exc:
            errors[field].extend(exc.messages)
    if not name.strip():
        errors["name"].append("Give the scenario a name.")
    if effective.year > today().year + MAX_YEARS_AHEAD:
        errors["effective"].append(
            f"The effective date is more than {MAX_YEARS_AHEAD} years ahead."
        )
    if not changes:
        errors["__all__"].append("Add at least one change.")
    for n, c in enumerate(changes, start=1):
        if (c.percent is None) == (c.new_price is None):
            errors["__all__"].append(f"Change {n}: give a percent or a new price, not both.")
        elif c.percent is not None and not Decimal(-50) <= c.percent <= Decimal(100):
            errors["__all__"].append(f"Change {n}: a percent from -50 to 100.")
        elif c.new_price is not None and c.new_price < 0:
            errors["__all__"].append(f"Change {n}: a new price is not negative.")
    return errors


@transaction.atomic
def rate_scenario_create(*, name: str, note: str, effective: date, changes: list[Change], by):
    """Model the change and save it with its result; refused (ValidationError)
    when a change does not fit the schedule or the user may not set it."""
    errors = _check(name, note, effective, changes, by)
    if not errors:
        book = ratebook_from_db()
        for n, c in enumerate(changes, start=1):
            schedule = schedule_by_code(c.schedule)
            if schedule is None or not user_may_edit_schedule(by, schedule):
                errors["__all__"].append(f"Change {n}: you may not model {c.schedule}.")
    if errors:
        raise ValidationError(dict(errors))
    year = selectors.year_of_billing(today())
    try:
        result = model(book, changes, effective, year)
    except ChangeError as exc:
        raise ValidationError({"__all__": [str(exc)]}) from exc
    scenario = RateScenario(
        name=name.strip(),
        note=note.strip(),
        effective=effective,
        year_start=year[0],
        year_end=year[1],
        result=result,
        created_by=by,
    )
    scenario.full_clean()
    scenario.save()
    for n, c in enumerate(changes):
        line = RateScenarioChange(
            scenario=scenario,
            position=n,
            schedule=c.schedule,
            component=c.component,
            key=c.key,
            percent=c.percent,
            new_price=c.new_price,
        )
        line.full_clean(exclude=["scenario"])
        line.save()
    return scenario

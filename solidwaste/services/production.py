"""Writing route production: one crew sheet line from the entry page, or a
month of them from a file. The file is all or nothing (one bad line and
nothing is kept, every bad line reported by its number) and safe to run
twice: a line already recorded with the same figures is counted and
skipped; one recorded with other figures is refused, since a correction
is made on the entry page, one line at a time, in the audit trail."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum

from mesa_cs.lib.dates import refuse_future, today
from mesa_cs.lib.imports import (
    bounded_decimal,
    csv_rows_read,
    file_text,
)
from mesa_cs.lib.luhn import mask_card_numbers
from solidwaste.models import CrewMember, ProductionEntry, ProductionFile, Route, Truck
from solidwaste.rules.production import MAX_DAY_HOURS, figure_problems

HEADER = [
    "work_on", "route", "truck", "operator", "lifts", "stops", "tons", "hours", "misses",
    "overtime_hours",
]  # fmt: skip
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
WHOLE = re.compile(r"\d{1,6}")
# One production import at a time: each checks the hours already recorded.
PRODUCTION_LOCK = 7_150_001
FIGURES = ("lifts", "stops", "tons", "hours", "misses", "overtime_hours")


@dataclass
class Sheet:
    """One crew sheet line, read and checked."""

    line: int
    work_on: date
    route: str
    truck: str
    operator: str
    lifts: int
    stops: int
    tons: Decimal
    hours: Decimal
    misses: int
    overtime_hours: Decimal

    def figures(self) -> dict:
        return {name: getattr(self, name) for name in FIGURES}


def _whole(name: str, text: str) -> int:
    if not WHOLE.fullmatch(text):
        raise ValueError(f"{name} {text[:20]!r} is not a whole number of up to 6 digits")
    return int(text)


def _sheet(line: int, values: list[str], on: date) -> Sheet:
    if len(values) != len(HEADER):
        raise ValueError(f"expected {len(HEADER)} fields, found {len(values)}")
    work_on, route, truck, operator, lifts, stops, tons, hours, misses, overtime = (
        v.strip() for v in values
    )
    if not DATE.fullmatch(work_on):
        raise ValueError(f"work_on {work_on[:20]!r} is not a date like 2026-03-05")
    try:
        day = date.fromisoformat(work_on)
    except ValueError:
        raise ValueError(f"work_on {work_on} is not a real date") from None
    if day > on:
        raise ValueError(f"work_on {work_on} is after today ({on:%m/%d/%Y})")
    sheet = Sheet(
        line, day, route.upper(), truck.upper(), operator,
        _whole("lifts", lifts), _whole("stops", stops),
        bounded_decimal(tons, name="tons", max_digits=4, places=2),
        bounded_decimal(hours, name="hours", max_digits=4, places=2),
        _whole("misses", misses),
        bounded_decimal(overtime or "0", name="overtime_hours", max_digits=4, places=2),
    )  # fmt: skip
    problems = figure_problems(**sheet.figures())
    if problems:
        raise ValueError("; ".join(f"{name}: {text}" for name, text in problems.items()))
    return sheet


def production_parse(text: str, on: date) -> tuple[list[Sheet], list[dict]]:
    """The lines that can be read and a line-numbered error for each that cannot."""
    return csv_rows_read(text, HEADER, lambda line, fields: _sheet(line, fields, on))


def _active(model, field: str, codes: set[str]) -> dict[str, int]:
    return dict(
        model.objects.filter(**{f"{field}__in": codes, "active": True}).values_list(field, "pk")
    )


def _recorded_hours(sheets: list[Sheet], operators: dict[str, int], skip: set[int]):
    """Hours already recorded per (operator id, day), leaving out the entries
    this file repeats (they are not added again)."""
    days = {s.work_on for s in sheets}
    rows = (
        ProductionEntry.objects.filter(operator_id__in=set(operators.values()), work_on__in=days)
        .exclude(pk__in=skip)
        .values_list("operator_id", "work_on")
        .annotate(total=Sum("hours"))
    )
    return {(operator, day): total for operator, day, total in rows}


def _resolve(sheets: list[Sheet], errors: list[dict]) -> tuple[list[tuple], int]:
    """The new entries' rows (sheet, route id, truck id, operator id) and the
    count of lines already recorded with the same figures; problems are added
    to ``errors`` by line."""
    routes = _active(Route, "code", {s.route for s in sheets})
    trucks = _active(Truck, "number", {s.truck for s in sheets})
    operators = _active(CrewMember, "employee_number", {s.operator for s in sheets})
    existing = {
        (e.work_on, e.route_id, e.operator_id): e
        for e in ProductionEntry.objects.filter(
            work_on__in={s.work_on for s in sheets}, route_id__in=set(routes.values())
        )
    }
    seen: dict[tuple, int] = {}
    new, repeated, repeated_ids = [], 0, set()
    for sheet in sheets:
        problems = []
        for name, found in (("route", routes), ("truck", trucks), ("operator", operators)):
            if getattr(sheet, name) not in found:
                problems.append(f"{name} {getattr(sheet, name)[:20]!r} is not an active {name}")
        if problems:
            errors.append({"line": sheet.line, "reason": mask_card_numbers("; ".join(problems))})
            continue
        route, truck, operator = routes[sheet.route], trucks[sheet.truck], operators[sheet.operator]
        key = (sheet.work_on, route, operator)
        if key in seen:
            errors.append(
                {
                    "line": sheet.line,
                    "reason": f"the same operator, route and day as line {seen[key]}",
                }
            )
            continue
        seen[key] = sheet.line
        entry = existing.get(key)
        if entry is None:
            new.append((sheet, route, truck, operator))
        elif entry.truck_id == truck and all(
            getattr(entry, name) == value for name, value in sheet.figures().items()
        ):
            repeated += 1
            repeated_ids.add(entry.pk)
        else:
            errors.append(
                {
                    "line": sheet.line,
                    "reason": f"{sheet.operator} on {sheet.route} on {sheet.work_on:%m/%d/%Y} "
                    "is already recorded with other figures; correct it on the entry page",
                }
            )
    day_hours = defaultdict(Decimal, _recorded_hours(sheets, operators, repeated_ids))
    for sheet, _, _, operator in new:
        day_hours[(operator, sheet.work_on)] += sheet.hours
    for sheet, _, _, operator in new:
        if day_hours[(operator, sheet.work_on)] > MAX_DAY_HOURS:
            errors.append(
                {
                    "line": sheet.line,
                    "reason": f"operator {sheet.operator} would have "
                    f"{day_hours[(operator, sheet.work_on)]} hours on {sheet.work_on:%m/%d/%Y}, "
                    f"more than {MAX_DAY_HOURS}",
                }
            )
    errors.sort(key=lambda error: error["line"])
    return new, repeated


@transaction.atomic
def production_import(*, content: bytes, filename: str, by=None) -> tuple[dict, ProductionFile]:
    """Import a route production file (columns ``HEADER``). Returns the
    summary (read, new, already recorded, errors by line, the days covered)
    and the kept file; nothing is recorded unless every line is good."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PRODUCTION_LOCK])
    text, refusal = file_text(content)
    kept = ProductionFile.objects.create(
        filename=filename[:200],
        content=content.decode("utf-8", errors="replace").replace("\x00", ""),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by,
    )
    sheets, errors = (
        ([], [{"line": 1, "reason": refusal}]) if refusal else production_parse(text, today())
    )
    new, repeated = _resolve(sheets, errors) if sheets else ([], 0)
    summary = {
        "read": len(sheets) + len([e for e in errors if e["line"] > 1]),
        "new": 0,
        "already_recorded": repeated,
        "errors": errors,
        "first_day": "",
        "last_day": "",
    }
    if not errors and new:
        ProductionEntry.objects.bulk_create(
            ProductionEntry(
                work_on=sheet.work_on, route_id=route, truck_id=truck, operator_id=operator,
                file=kept, entered_by=by, **sheet.figures(),
            )
            for sheet, route, truck, operator in new
        )  # fmt: skip
        summary["new"] = len(new)
    if sheets and not errors:
        summary["first_day"] = min(s.work_on for s in sheets).isoformat()
        summary["last_day"] = max(s.work_on for s in sheets).isoformat()
    kept.summary = summary
    kept.save(update_fields=["summary"])
    return summary, kept


@transaction.atomic
def production_entry_record(
    *,
    work_on: date,
    route: Route,
    truck: Truck,
    operator: CrewMember,
    lifts: int,
    stops: int,
    tons: Decimal,
    hours: Decimal,
    misses: int = 0,
    overtime_hours: Decimal = Decimal("0"),
    by=None,
) -> tuple[ProductionEntry, bool]:
    """Record one crew sheet line, or correct the one already recorded for the
    operator on that route and day. Returns the entry and whether it is new."""
    refuse_future("work_on", work_on, "The work date")
    figures = {
        "lifts": lifts, "stops": stops, "tons": tons, "hours": hours, "misses": misses,
        "overtime_hours": overtime_hours,
    }  # fmt: skip
    problems = figure_problems(**figures)
    for name, thing in (("route", route), ("truck", truck), ("operator", operator)):
        if not thing.active:
            problems[name] = f"{thing} is no longer active."
    if problems:
        raise ValidationError(problems)
    # Two clerks entering the same operator's day: one waits for the other.
    CrewMember.objects.select_for_update().get(pk=operator.pk)
    entry = ProductionEntry.objects.filter(work_on=work_on, route=route, operator=operator).first()
    others = (
        ProductionEntry.objects.filter(work_on=work_on, operator=operator)
        .exclude(pk=getattr(entry, "pk", None))
        .aggregate(total=Sum("hours"))["total"]
        or 0
    )
    if others + hours > MAX_DAY_HOURS:
        raise ValidationError(
            {
                "hours": f"{operator.name} already has {others} hours on "
                f"{work_on:%m/%d/%Y}; with these, more than {MAX_DAY_HOURS}."
            }
        )
    created = entry is None
    if created:
        entry = ProductionEntry(work_on=work_on, route=route, operator=operator)
    entry.truck = truck
    for name, value in figures.items():
        setattr(entry, name, value)
    entry.entered_by = by
    entry.full_clean()
    entry.save()
    return entry, created

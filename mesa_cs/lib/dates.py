"""Calendar arithmetic the apps share."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (earlier when negative); the month's last
    day when that month is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


# The City's offices work Monday to Thursday (docs/work_items.md).
WORKING_WEEKDAYS = frozenset({0, 1, 2, 3})


def add_working_days(day: date, days: int) -> date:
    """``days`` working days after ``day`` (a day off counts from the next
    working day): 2 working days after a Thursday is the next Tuesday."""
    from datetime import timedelta

    while day.weekday() not in WORKING_WEEKDAYS:
        day += timedelta(days=1)
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() in WORKING_WEEKDAYS:
            days -= 1
    return day


def today() -> date:
    """Today in Mesa (TIME_ZONE is America/Phoenix, which keeps no daylight
    saving): after 5 p.m. Phoenix time UTC is already tomorrow."""
    from django.utils import timezone

    return timezone.localdate()


def _future_message(day: date) -> str | None:
    now = today()
    if day is not None and day > now:
        return f"cannot be after today ({now:%m/%d/%Y}): {day:%m/%d/%Y} has not happened yet."
    return None


def refuse_future(field: str, day: date | None, label: str) -> None:
    """Refuse a date that has not happened yet for something that must have
    happened (a read, a payment received, work done, a court's order); the
    error names the field so a form shows it beside it."""
    from django.core.exceptions import ValidationError

    message = _future_message(day)
    if message:
        raise ValidationError({field: f"{label} {message}"})


def not_in_future(day: date | None) -> None:
    """The same rule as a form field's validator (the field's label is beside it)."""
    from django.core.exceptions import ValidationError

    message = _future_message(day)
    if message:
        raise ValidationError(message[0].upper() + message[1:], code="future")

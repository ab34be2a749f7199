"""The one way Mesa CS writes money, dates and times (docs/ui.md).

Pages, PDFs, exports and audit trails all call these, so an amount never
reads "1788.17" in one place and "$-25.00" in another, and a time is always
Phoenix local time.

- money: ``$1,234.56``; a negative amount ``−$25.00`` (a true minus sign).
- a day on a page: ``12/01/2026``; a moment on a page: ``12/01/2026 1:02 PM``;
  a month: ``December 2025``.
- in CSV/XLSX exports: ``2026-12-01`` and ``2026-12-01 13:02`` (they sort).
- nothing (``None``, ``""``) is written as nothing.
- a member of staff by full name (their login only if no name is on file).
- a meter read as the dial shows it: ``12345``, ``12.5`` (no ``12345.00``).
- a stored code that has no choice label as words: ``read_exception`` →
  "Read exception" (a field with choices uses ``get_FOO_display``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from mesa_cs.lib.money import to_money

MINUS = "\u2212"
DAY = "%m/%d/%Y"
EXPORT_DAY = "%Y-%m-%d"
EXPORT_MOMENT = "%Y-%m-%d %H:%M"
# English month names whatever the locale (strftime's %B follows it).
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def money_text(value, *, sign: bool = True) -> str:
    """``$1,234.56``, ``−$25.00``; "" for nothing. ``sign=False`` drops the
    minus (for a column already headed "credit")."""
    if value is None or value == "":
        return ""
    try:
        amount = to_money(Decimal(str(value)) if not isinstance(value, Decimal) else value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    text = f"${abs(amount):,.2f}"
    return f"{MINUS}{text}" if amount < 0 and sign else text


def local(moment: datetime) -> datetime:
    """A stored (aware, UTC) time as Phoenix local time."""
    if timezone.is_aware(moment):
        return timezone.localtime(moment)
    return moment


def _parsed(value):
    """A day or moment stored as ISO text (JSON fields, audit trails)."""
    if isinstance(value, str):
        try:
            parsed = parse_date(value) if len(value) == 10 else parse_datetime(value)
        except ValueError:
            parsed = None
        return parsed or value
    return value


def day_text(value) -> str:
    value = _parsed(value)
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        value = local(value).date()
    return value.strftime(DAY)


def month_text(value) -> str:
    """A month (a bill's month, "the same month last year"): ``December 2025``."""
    value = _parsed(value)
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        value = local(value)
    return f"{MONTH_NAMES[value.month - 1]} {value.year}"


def moment_text(value) -> str:
    value = _parsed(value)
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime):
        return day_text(value)
    moment = local(value)
    return f"{moment.strftime(DAY)} {moment.strftime('%I:%M %p').lstrip('0')}"


def export_text(value):
    """A cell for a CSV/XLSX export: dates and times as sortable Phoenix local
    text, nothing as an empty cell, everything else unchanged."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local(value).strftime(EXPORT_MOMENT)
    if isinstance(value, date):
        return value.strftime(EXPORT_DAY)
    return value


def staff_name(user) -> str:
    """A user as receipts, histories, work items and approvals name them: the
    full name, or the login if no name is on file; "" for nobody."""
    if user is None or user == "":
        return ""
    full = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()


def code_label(code) -> str:
    """``read_exception`` → "Read exception", ``solid_waste`` → "Solid waste"."""
    if code is None or code == "":
        return ""
    return str(code).replace("_", " ").strip().capitalize()


def read_text(value) -> str:
    """A meter read without spurious decimals: 12345.00 → ``12345``, 12.50 →
    ``12.5``; "" for nothing."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        return f"{number.quantize(Decimal(1)):f}"
    return f"{number.normalize():f}"


def quantity_text(value) -> str:
    """A count or measure as stored, with thousands grouped: 2450 →
    ``2,450``, 1234.50 → ``1,234.50``; "" for nothing."""
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, int) else Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{MINUS}{abs(number):,}" if number < 0 else f"{number:,}"


def phone_text(value) -> str:
    """A stored 10-digit phone number as people write it: 480-555-0143."""
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    if len(digits) != 10:
        return str(value or "")
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"

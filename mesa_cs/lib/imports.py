"""What every file import shares: the size cap, physical lines, numbers
bounded to the column that will hold them, no control characters, no dates
from the future (docs/meter_reads.md, docs/cashiering.md)."""

from __future__ import annotations

import csv
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError

from mesa_cs.lib.luhn import mask_card_numbers

# Tab is allowed (a spreadsheet may leave one); anything else below space,
# and DEL, is refused: PostgreSQL cannot store NUL at all, and the rest only
# hides what a line really says.
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
PLAIN_NUMBER = re.compile(r"\d+(\.\d+)?")


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def too_large(size: int) -> str:
    """Why a file of ``size`` bytes is refused, or "" when it may be imported."""
    limit = settings.IMPORT_MAX_BYTES
    if size <= limit:
        return ""
    return (
        f"the file is {megabytes(size)}; files up to {megabytes(limit)} can be imported. "
        "Split it and import the parts."
    )


def import_file_validator(upload) -> None:
    """For an upload form's FileField: refuse an oversize file before reading it."""
    reason = too_large(upload.size)
    if reason:
        raise ValidationError(reason[0].upper() + reason[1:])


def import_file_help(text: str = "") -> str:
    """An upload field's help text, with the size limit in force."""
    limit = f"Files up to {megabytes(settings.IMPORT_MAX_BYTES)}."
    return f"{text} {limit}".strip()


def file_lines(text: str) -> list[str]:
    """The file's physical lines (only \\n and \\r\\n end a line, so a stray
    control character cannot split one and shift every line number after
    it), without the blank lines at the end."""
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def csv_fields(line: str) -> list[str]:
    """One line's CSV fields, or a ValueError saying why it cannot be read
    (an unclosed quote, a field longer than the csv module's 128 kB limit)."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error as exc:
        raise ValueError(f"the line cannot be read as CSV ({exc})") from exc


def file_text(content: bytes) -> tuple[str, str]:
    """The file's text and why it cannot be read at all ("" when it can):
    too large, or not UTF-8 (a byte-order mark is dropped)."""
    refusal = too_large(len(content))
    if refusal:
        return "", refusal
    try:
        return content.decode("utf-8-sig"), ""
    except UnicodeDecodeError as exc:
        return "", f"the file is not UTF-8 text (byte {exc.start + 1})"


def csv_rows_read(text: str, header: list[str], read_line) -> tuple[list, list[dict]]:
    """The data lines of a CSV file that must start with ``header``, each
    read by ``read_line(line_number, fields)`` (a ValueError says what is
    wrong with the line), and a line-numbered error for each refused, card
    numbers masked. Blank lines are skipped; a file without the header row
    gives no rows at all."""
    lines = file_lines(text.lstrip("\ufeff"))
    if not lines:
        return [], [{"line": 1, "reason": "the file is empty"}]
    try:
        found = [name.strip().lower() for name in csv_fields(lines[0])]
    except ValueError:
        found = []
    if found != header:
        return [], [{"line": 1, "reason": "the header row must be " + ",".join(header)}]
    rows, errors = [], []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            bad = control_character(line)
            if bad:
                raise ValueError(bad)
            rows.append(read_line(number, csv_fields(line)))
        except ValueError as exc:
            errors.append({"line": number, "reason": mask_card_numbers(str(exc))})
    return rows, errors


def control_character(text: str) -> str:
    """A description of the first control character in ``text``, or ""."""
    found = CONTROL.search(text)
    if found is None:
        return ""
    char = found.group()
    name = "a NUL byte" if char == "\x00" else f"the control character U+{ord(char):04X}"
    return f"{name} at position {found.start() + 1}; a file line holds only printable text"


def bounded_decimal(
    text: str, *, name: str, max_digits: int = 12, places: int = 2, positive: bool = False
) -> Decimal:
    """``text`` as a Decimal that fits DecimalField(max_digits, places), or a
    ValueError naming ``name``. NaN, Infinity and exponents are refused."""
    whole = max_digits - places
    shape = f"a number with at most {whole} digits before the point and {places} after"
    if not PLAIN_NUMBER.fullmatch(text or ""):
        raise ValueError(f"{name} {text[:40]!r} is not {shape}")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValueError(f"{name} {text[:40]!r} is not {shape}") from exc
    integer, _, fraction = text.partition(".")
    if len(integer.lstrip("0")) > whole or len(fraction) > places:
        raise ValueError(f"{name} {text[:40]!r} is not {shape}")
    if positive and value <= 0:
        raise ValueError(f"{name} {text[:40]!r} must be more than zero")
    return value


def database_refusal(exc: Exception) -> str:
    """The first line of what the database (or its driver) said, for a report;
    it may quote the value it refused, so a card number in it is masked."""
    return mask_card_numbers((str(exc).strip().splitlines() or [type(exc).__name__])[0][:160])

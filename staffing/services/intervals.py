"""Importing the phone system's interval data (docs/contact_center.md): a
file of 15-minute rows per queue, and per agent where the phone system
gives them. All or nothing (one bad line and nothing is kept, every bad
line reported by its number and column) and safe to run twice: a file
already imported is recognised by its sha256 and not read again, and a
row already recorded with the same figures is counted and skipped; one
recorded with other figures is refused, since the phone system's report
for an interval that has ended does not change."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter

from django.db import connection, transaction
from django.utils import timezone

from mesa_cs.lib.copy import copy_rows
from mesa_cs.lib.imports import csv_rows_read, file_text
from mesa_cs.lib.luhn import looks_like_card_number
from staffing.models import INTERVAL_SECONDS, CallInterval, IntervalFile

HEADER = [
    "interval_start", "queue", "agent_id", "offered", "answered", "abandoned",
    "answered_in_20s", "answer_delay_seconds", "talk_seconds", "hold_seconds",
    "after_call_seconds", "staffed_seconds",
]  # fmt: skip
STARTS = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})")
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
COUNT = re.compile(r"\d{1,5}")  # calls in one interval: up to 99,999
SECONDS = re.compile(r"\d{1,7}")  # seconds in one interval: up to 9,999,999
NUMBERS = re.compile(r"\d{1,5}(?:,\d{1,5}){3}(?:,\d{1,7}){4}")
INTERVAL = timedelta(seconds=INTERVAL_SECONDS)
# One interval import at a time: each compares its rows with those recorded.
INTERVALS_LOCK = 7_160_001
FIGURES = (
    "offered", "answered", "abandoned", "answered_in_target", "answer_delay_seconds",
    "talk_seconds", "hold_seconds", "after_call_seconds", "staffed_seconds",
)  # fmt: skip
COLUMNS = ("starts_at", "queue", "agent_id", *FIGURES)
_VALUES = attrgetter(*COLUMNS)


@dataclass(slots=True)
class Row:
    """One line of the file, read and checked (the order of ``COLUMNS``)."""

    starts_at: datetime
    queue: str
    agent_id: str
    offered: int
    answered: int
    abandoned: int
    answered_in_target: int
    answer_delay_seconds: int
    talk_seconds: int
    hold_seconds: int
    after_call_seconds: int
    staffed_seconds: int | None
    line: int = 0

    @property
    def key(self) -> tuple:
        return (self.starts_at, self.queue, self.agent_id)

    def values(self) -> tuple:
        return _VALUES(self)


def _number(name: str, text: str, pattern: re.Pattern) -> int:
    if not pattern.fullmatch(text):
        most = "99,999" if pattern is COUNT else "9,999,999"
        raise ValueError(f"{name} {text[:20]!r} is not a whole number from 0 to {most}")
    return int(text)


def _code(name: str, text: str, most: int) -> str:
    if len(text) > most or not CODE.fullmatch(text):
        raise ValueError(
            f"{name} {text[:40]!r} is not a code of up to {most} letters, digits, '.', '-' or '_'"
        )
    if looks_like_card_number(text):
        raise ValueError(f"{name} looks like a card number; a queue or agent id never is one")
    return text


class Reader:
    """Reads the lines of one file against one moment ``now``: an interval
    that has not ended by then is refused. Interval starts are parsed once
    each (a month's file repeats every one of them per queue and agent)."""

    def __init__(self, now: datetime):
        self.now = now
        self.starts: dict[str, datetime] = {}
        self.codes: set[tuple[str, str]] = set()  # (column, code) already checked
        self.zone = timezone.get_default_timezone()

    def start(self, text: str) -> datetime:
        found = self.starts.get(text)
        if found is not None:
            return found
        shape = STARTS.fullmatch(text)
        if shape is None:
            raise ValueError(
                f"interval_start {text[:20]!r} is not a local time like 2026-11-02 08:15"
            )
        try:
            local = datetime(*(int(part) for part in shape.groups()), tzinfo=self.zone)
        except ValueError:
            raise ValueError(f"interval_start {text} is not a real date and time") from None
        if local.minute % 15:
            raise ValueError(
                f"interval_start {text} does not start a 15-minute interval (:00, :15, :30 or :45)"
            )
        if local + INTERVAL > self.now:
            raise ValueError(
                f"interval_start {text}: the interval has not ended yet "
                f"(it is {timezone.localtime(self.now, self.zone):%m/%d/%Y %H:%M})"
            )
        self.starts[text] = local
        return local

    def code(self, name: str, text: str, most: int) -> str:
        if not text and name == "agent_id":
            return text  # the queue's total row
        if (name, text) not in self.codes:
            _code(name, text, most)
            self.codes.add((name, text))
        return text

    def __call__(self, line: int, values: list[str]) -> Row:
        if len(values) != len(HEADER):
            raise ValueError(f"expected {len(HEADER)} fields, found {len(values)}")
        starts, queue, agent, *numbers = map(str.strip, values)
        staffed = numbers.pop()
        if NUMBERS.fullmatch(",".join(numbers)):  # the usual line: one match, not eight
            figures = list(map(int, numbers))
        else:
            figures = [
                _number(name, text, COUNT if position < 4 else SECONDS)
                for position, (name, text) in enumerate(zip(HEADER[3:11], numbers, strict=True))
            ]
        row = Row(
            self.start(starts), self.code("queue", queue, 32), self.code("agent_id", agent, 20),
            *figures, None, line,
        )  # fmt: skip
        if agent:
            if not staffed:
                raise ValueError("staffed_seconds is needed on an agent's row")
            row.staffed_seconds = _number("staffed_seconds", staffed, SECONDS)
        elif staffed:
            raise ValueError(
                "staffed_seconds is only for an agent's row; leave it blank on the queue's total row"
            )
        problems = figure_problems(row)
        if problems:
            raise ValueError("; ".join(problems))
        return row


def figure_problems(row: Row) -> list[str]:
    """What does not add up in one row, each naming its column."""
    problems = []
    if row.answered + row.abandoned > row.offered:
        problems.append(
            f"answered ({row.answered}) and abandoned ({row.abandoned}) are more than "
            f"offered ({row.offered})"
        )
    if row.answered_in_target > row.answered:
        problems.append(
            f"answered_in_20s ({row.answered_in_target}) is more than answered ({row.answered})"
        )
    if row.answer_delay_seconds and not row.answered:
        problems.append("answer_delay_seconds must be 0 when no call was answered")
    if row.staffed_seconds is not None:
        if row.staffed_seconds > INTERVAL_SECONDS:
            problems.append(
                f"staffed_seconds ({row.staffed_seconds}) is more than the interval's "
                f"{INTERVAL_SECONDS}"
            )
        handle = row.talk_seconds + row.hold_seconds + row.after_call_seconds
        if handle > row.staffed_seconds:
            problems.append(
                f"talk, hold and after-call seconds ({handle}) are more than "
                f"staffed_seconds ({row.staffed_seconds})"
            )
    return problems


def intervals_parse(text: str, now: datetime) -> tuple[list[Row], list[dict]]:
    """The lines that can be read and a line-numbered error for each that cannot."""
    rows, errors = csv_rows_read(text, HEADER, Reader(now))
    seen: dict[tuple, int] = {}
    kept = []
    for row in rows:
        first = seen.setdefault(row.key, row.line)
        if first != row.line:
            errors.append(
                {"line": row.line, "reason": f"the same interval, queue and agent as line {first}"}
            )
        else:
            kept.append(row)
    errors.sort(key=lambda error: error["line"])
    return kept, errors


def _new_rows(rows: list[Row], errors: list[dict]) -> tuple[list[Row], int]:
    """The rows not yet recorded and the count of those already recorded with
    the same figures; one recorded with other figures is an error."""
    recorded = {
        values[:3]: values[3:]
        for values in CallInterval.objects.filter(
            starts_at__range=(min(r.starts_at for r in rows), max(r.starts_at for r in rows)),
            queue__in={r.queue for r in rows},
        ).values_list(*COLUMNS)
    }
    if not recorded:
        return rows, 0
    new, repeated = [], 0
    for row in rows:
        figures = recorded.get(row.key)
        if figures is None:
            new.append(row)
        elif figures == row.values()[3:]:
            repeated += 1
        else:
            who = f"agent {row.agent_id}" if row.agent_id else "the queue's total"
            errors.append(
                {
                    "line": row.line,
                    "reason": f"{row.queue}, {who}, "
                    f"{timezone.localtime(row.starts_at):%m/%d/%Y %H:%M} is already recorded "
                    "with other figures",
                }
            )
    errors.sort(key=lambda error: error["line"])
    return new, repeated


@transaction.atomic
def intervals_import(
    *, content: bytes, filename: str, by=None, now: datetime | None = None
) -> tuple[dict, IntervalFile]:
    """Import a phone system interval file (columns ``HEADER``). Returns the
    summary (lines read, rows recorded, already recorded, errors by line,
    the first and last day) and the kept file; nothing is recorded unless
    every line is good."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [INTERVALS_LOCK])
    digest = hashlib.sha256(content).hexdigest()
    earlier = (
        IntervalFile.objects.filter(sha256=digest, summary__errors=[])
        .order_by("uploaded_at", "pk")
        .first()
    )
    text, refusal = file_text(content)
    kept = IntervalFile.objects.create(
        filename=filename[:200],
        content="" if earlier else content.decode("utf-8", errors="replace").replace("\x00", ""),
        sha256=digest,
        uploaded_by=by,
    )
    summary = {"read": 0, "new": 0, "already_recorded": 0, "errors": [], "first_day": "",
               "last_day": "", "same_file_as": None}  # fmt: skip
    if earlier is not None:
        summary |= {
            "read": earlier.summary.get("read", 0),
            "already_recorded": earlier.summary.get("read", 0),
            "first_day": earlier.summary.get("first_day", ""),
            "last_day": earlier.summary.get("last_day", ""),
            "same_file_as": {
                "filename": earlier.filename,
                "uploaded_at": timezone.localtime(earlier.uploaded_at).isoformat(),
            },
        }
    elif refusal:
        summary["errors"] = [{"line": 1, "reason": refusal}]
    else:
        rows, errors = intervals_parse(text, now or timezone.now())
        summary["read"] = len(rows) + len([e for e in errors if e["line"] > 1])
        new, repeated = _new_rows(rows, errors) if rows else ([], 0)
        summary |= {"errors": errors, "already_recorded": repeated}
        if not errors and rows:
            copy_rows(
                CallInterval, (*COLUMNS, "file"), ((*r.values(), kept.pk) for r in new), ids=False
            )
            summary["new"] = len(new)
            summary["first_day"] = f"{timezone.localtime(min(r.starts_at for r in rows)):%Y-%m-%d}"
            summary["last_day"] = f"{timezone.localtime(max(r.starts_at for r in rows)):%Y-%m-%d}"
    kept.summary = summary
    kept.save(update_fields=["summary"])
    return summary, kept

"""The demo's contact-center calls: a month of the phone system's
15-minute interval data for six queues and their agents, imported through
the product's own import (``staffing.services.intervals.intervals_import``) as a
supervisor would. The generator is shared with ``bench/intervals.py``.

Every queue has a row for every interval of every day (zeros when the
lines are closed); agents are logged in Monday to Friday from 07:00 to
19:00 in three overlapping 8-hour shifts, and two agents a queue on
Saturday mornings. The queue's row is the sum of its agents' rows, plus the
calls abandoned in the queue."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta

QUEUES = ("billing", "start_stop", "payments", "collections", "solid_waste", "spanish")
# Seconds a call takes, talk + hold + after-call work, per queue.
HANDLE = {"billing": 330, "start_stop": 420, "payments": 210, "collections": 380,
          "solid_waste": 260, "spanish": 360}  # fmt: skip
AGENTS_PER_QUEUE = 5
FIRST_AGENT = 4101  # agent ids 4101 to 4130 unless the caller names them
SHIFT_STARTS = (7, 9, 11)  # weekdays: agent n works SHIFT_STARTS[n % 3] for 8 hours
SATURDAY = (8, 12)  # Saturdays, agents 0 and 1 of each queue, 08:00 to 12:00


def _agents(agent_ids: Sequence[str] | None) -> dict[str, list[str]]:
    ids = list(agent_ids or [])
    ids += [str(n) for n in range(FIRST_AGENT, FIRST_AGENT + len(QUEUES) * AGENTS_PER_QUEUE)]
    ids = list(dict.fromkeys(ids))
    return {q: ids[i * AGENTS_PER_QUEUE : (i + 1) * AGENTS_PER_QUEUE] for i, q in enumerate(QUEUES)}


def _logged_in(position: int, day: date, hour: int) -> bool:
    if day.weekday() < 5:
        start = SHIFT_STARTS[position % len(SHIFT_STARTS)]
        return start <= hour < start + 8
    return day.weekday() == 5 and position < 2 and SATURDAY[0] <= hour < SATURDAY[1]


def _some(rng: random.Random, count: int, chance: float) -> int:
    return sum(rng.random() < chance for _ in range(count))


def _between(rng: random.Random, mean: float, spread: float, low: float, high: float) -> float:
    return min(max(rng.gauss(mean, spread), low), high)


def interval_lines(
    rng: random.Random, start: date, end: date, agent_ids: Sequence[str] | None = None
) -> list[str]:
    """The CSV lines (without the header) for every 15-minute interval of
    the days [start, end]."""
    agents = _agents(agent_ids)
    lines = []
    day = start
    while day <= end:
        for slot in range(96):
            at = datetime(day.year, day.month, day.day) + timedelta(minutes=15 * slot)
            stamp = f"{at:%Y-%m-%d %H:%M}"
            for queue in QUEUES:
                # How well the queue keeps up this interval (service level, abandons).
                quick = _between(rng, 0.84, 0.08, 0.45, 0.99)
                gone = _between(rng, 0.035, 0.02, 0.0, 0.15)
                total = [0] * 6  # answered, in 20 s, delay, talk, hold, after-call
                rows = []
                for position, agent in enumerate(agents[queue]):
                    if not _logged_in(position, day, at.hour):
                        continue
                    busy = _between(rng, 0.72, 0.09, 0.3, 0.95)
                    answered = max(round(busy * 900 / HANDLE[queue] + rng.gauss(0, 0.6)), 0)
                    handle = min(round(answered * HANDLE[queue] * rng.uniform(0.8, 1.2)), 870)
                    talk, hold = round(handle * 0.78), round(handle * 0.08)
                    within = _some(rng, answered, quick)
                    delay = round(within * rng.uniform(3, 14)) + round(
                        (answered - within) * rng.uniform(25, 95)
                    )
                    figures = (answered, within, delay, talk, hold, handle - talk - hold)
                    total = [a + b for a, b in zip(total, figures, strict=True)]
                    answered, within, delay, talk, hold, after = figures
                    rows.append(
                        f"{stamp},{queue},{agent},{answered},{answered},0,{within},{delay},"
                        f"{talk},{hold},{after},900"
                    )
                abandoned = _some(rng, total[0], gone) if total[0] else 0
                answered, within, delay, talk, hold, after = total
                lines.append(
                    f"{stamp},{queue},,{answered + abandoned},{answered},{abandoned},{within},"
                    f"{delay},{talk},{hold},{after},"
                )
                lines.extend(rows)
        day += timedelta(days=1)
    return lines


def calls_csv(
    start: date, end: date, *, seed: int = 16, agent_ids: Sequence[str] | None = None
) -> bytes:
    """The phone system's interval file for the days [start, end]: the same
    bytes for the same arguments."""
    from staffing.services.intervals import HEADER

    lines = interval_lines(random.Random(seed), start, end, agent_ids)
    return ("\n".join([",".join(HEADER), *lines]) + "\n").encode()


def demo_calls(*, by, today: date, agent_ids: Sequence[str] | None = None) -> dict | None:
    """The 30 days of call data before ``today``, imported by ``by`` (a
    Supervisor); ``agent_ids`` (the Contact Center staff's
    ``StaffProfile.phone_agent_id``, up to 30) name the first agents, the
    rest stay unlinked. None when call data is already there."""
    from staffing.models import CallInterval
    from staffing.services.intervals import intervals_import

    if CallInterval.objects.exists():
        return None
    start, end = today - timedelta(days=30), today - timedelta(days=1)
    summary, _ = intervals_import(
        content=calls_csv(start, end, agent_ids=agent_ids),
        filename=f"phone-intervals-{start}-{end}.csv",
        by=by,
    )
    if summary["errors"]:
        raise RuntimeError(f"demo call data refused: {summary['errors'][:3]}")
    return {"intervals": summary["new"], "first_day": summary["first_day"],
            "last_day": summary["last_day"]}  # fmt: skip

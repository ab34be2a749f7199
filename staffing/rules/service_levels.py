"""The contact center's service-level figures, as docs/contact_center.md
defines them: pure arithmetic on an interval's (or a group of intervals')
totals, so a test can check every figure against a hand calculation.

A group's figure is the ratio of its sums (all calls answered within 20
seconds over all calls offered), never an average of the intervals'
ratios: a quiet interval weighs what its calls weigh."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Totals:
    """What the phone system counted, summed over any set of interval rows.
    ``staffed_seconds`` is the agents' logged-in time (agent rows only)."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    answered_in_target: int = 0
    answer_delay_seconds: int = 0
    talk_seconds: int = 0
    hold_seconds: int = 0
    after_call_seconds: int = 0
    staffed_seconds: int = 0

    @classmethod
    def of(cls, row: dict) -> Totals:
        """From a row of sums (a missing or NULL sum is nothing)."""
        return cls(**{f.name: int(row.get(f.name) or 0) for f in fields(cls)})

    @property
    def handle_seconds(self) -> int:
        return self.talk_seconds + self.hold_seconds + self.after_call_seconds


@dataclass(frozen=True)
class Targets:
    """The section's targets (settings.CONTACT_CENTER_*): service level is
    at least ``service_level`` % answered within ``answer_seconds``; the
    average speed of answer at most ``speed_of_answer`` seconds; abandonment
    at most ``abandonment`` %; occupancy within ``occupancy_band`` points of
    ``occupancy`` %; first-contact resolution at least ``first_contact`` %."""

    service_level: Decimal = Decimal(80)
    answer_seconds: int = 20
    speed_of_answer: Decimal = Decimal(60)
    abandonment: Decimal = Decimal(5)
    occupancy: Decimal = Decimal(70)
    occupancy_band: Decimal = Decimal(10)
    first_contact: Decimal = Decimal(80)


def _round(value: Decimal) -> Decimal:
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage to one place, or None with no whole."""
    if not whole:
        return None
    return _round(Decimal(part) * HUNDRED / Decimal(whole))


def _per(seconds: int, count: int) -> Decimal | None:
    """Seconds per call to one place, or None with no calls."""
    if not count:
        return None
    return _round(Decimal(seconds) / Decimal(count))


def service_level(totals: Totals) -> Decimal | None:
    """Calls answered within 20 seconds, as a % of the calls offered (the
    abandoned calls count against it, however soon they hung up)."""
    return _percent(totals.answered_in_target, totals.offered)


def speed_of_answer(totals: Totals) -> Decimal | None:
    """Average speed of answer: the answered calls' total wait, in seconds
    per answered call (abandoned calls' waits are not in it)."""
    return _per(totals.answer_delay_seconds, totals.answered)


def abandonment(totals: Totals) -> Decimal | None:
    """Calls abandoned, as a % of the calls offered."""
    return _percent(totals.abandoned, totals.offered)


def handle_time(totals: Totals) -> Decimal | None:
    """Average handle time: talk, hold and after-call work, in seconds per
    answered call."""
    return _per(totals.handle_seconds, totals.answered)


def occupancy(totals: Totals) -> Decimal | None:
    """Talk, hold and after-call work as a % of the agents' staffed time."""
    return _percent(totals.handle_seconds, totals.staffed_seconds)


def first_contact(resolved: int, decided: int) -> Decimal | None:
    """First-contact resolution: calls with no further contact on the
    account within the window, as a % of the calls whose window has closed."""
    return _percent(resolved, decided)


MET, MISSED, NO_FIGURE = "met", "missed", "no calls"


def verdict(name: str, value: Decimal | None, targets: Targets) -> str:
    """ "met", "missed", or "no calls" when there is nothing to judge."""
    if value is None:
        return NO_FIGURE
    if name == "service_level":
        met = value >= targets.service_level
    elif name == "speed_of_answer":
        met = value <= targets.speed_of_answer
    elif name == "abandonment":
        met = value <= targets.abandonment
    elif name == "occupancy":
        met = abs(value - targets.occupancy) <= targets.occupancy_band
    elif name == "first_contact":
        met = value >= targets.first_contact
    else:
        raise ValueError(f"{name} has no target")
    return MET if met else MISSED


FIGURES = {
    "service_level": service_level,
    "speed_of_answer": speed_of_answer,
    "abandonment": abandonment,
    "handle_time": handle_time,
    "occupancy": occupancy,
}


def figures(totals: Totals) -> dict[str, Decimal | None]:
    """Every interval figure of ``totals`` by name."""
    return {name: figure(totals) for name, figure in FIGURES.items()}


def target_text(name: str, targets: Targets) -> str:
    """The target in words, for the page and the export."""
    return {
        "service_level": f"at least {targets.service_level} % answered within "
        f"{targets.answer_seconds} s",
        "speed_of_answer": f"at most {targets.speed_of_answer} s",
        "abandonment": f"at most {targets.abandonment} %",
        "handle_time": "no target",
        "occupancy": f"{targets.occupancy - targets.occupancy_band} to "
        f"{targets.occupancy + targets.occupancy_band} % (about {targets.occupancy} %)",
        "first_contact": f"at least {targets.first_contact} %",
    }[name]

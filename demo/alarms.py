"""The demo's Alarm Permit Unit, made with the real services: alarm
companies' registration files (``registrations_import``), permits taken at
the counter (``permit_apply``), a year of the Police Department's dispatch
feed (``feed_import``) with calls to research, appeals filed, scheduled and
decided, a permit suspended at its 10th burglary false alarm and another
reinstated, lapsed permits and renewal notices (``renewals_run``).

The imports and the feed's invoices are dated by the clock (``today()``),
which ``seed_demo`` holds at the as-of day: the demo is the Unit's first day
on Mesa CS, the companies' current registrations and the last year's calls
loaded that day. The file generators here are shared with
``bench/alarms.py``."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from demo import names

STREETS = names.NS_ARTERIALS + names.EW_ARTERIALS + names.LOCAL_STREETS
DIRECTIONS = ("N", "S", "E", "W")
# How a dispatcher types what the registry abbreviates.
SPELLED = {
    "N": "North",
    "S": "South",
    "E": "East",
    "W": "West",
    "St": "Street",
    "Rd": "Road",
    "Ave": "Avenue",
    "Dr": "Drive",
    "Cir": "Circle",
}
COMPANY_KINDS = (
    "Alarm",
    "Security",
    "Alarm & Monitoring",
    "Protection",
    "Security Systems",
    "Smart Home",
)
FUNCTION_MIX = (("burglary", 0.55), ("burglary;panic", 0.33), ("burglary;robbery", 0.12))
MIN_CITY = 50  # utility accounts before the Alarm Unit is seeded (its counter permits use them)
MAX_CITY = 20_000  # the benchmarks' cities go without it


@dataclass
class PermitRow:
    holder_name: str
    address: str
    functions: str
    issued_on: date
    company: str
    phone: str
    email: str


def premise_address(index: int, *, odd: bool = False) -> str:
    """A distinct Mesa address for each index, as the registry writes it
    (even house numbers; ``odd`` gives addresses no permit has)."""
    street, street_type = STREETS[index % len(STREETS)]
    direction = DIRECTIONS[(index // len(STREETS)) % 4]
    k = index // (len(STREETS) * 4)
    house = 102 + 24 * k + 2 * (index % 11) + (1 if odd else 0)
    return f"{house} {direction} {street} {street_type}"


def spelled_out(address: str) -> str:
    """The address as a dispatcher types it: "1425 East University Drive"."""
    return " ".join(SPELLED.get(word, word) for word in address.split())


def company_names(count: int) -> list[str]:
    made = []
    for n in range(count):
        word = names.BUSINESS_WORDS[n % len(names.BUSINESS_WORDS)]
        kind = COMPANY_KINDS[(n * 7 + n // len(names.BUSINESS_WORDS)) % len(COMPANY_KINDS)]
        made.append(f"{word} {kind}" + (f" {n // 24 + 1}" if n >= 24 else ""))
    return made


def _functions(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for functions, share in FUNCTION_MIX:
        total += share
        if roll < total:
            return functions
    return FUNCTION_MIX[0][0]


def registration_rows(
    rng: random.Random, count: int, *, companies: list[str], on: date, first: int = 0
) -> list[PermitRow]:
    """``count`` registrations at addresses ``first`` onward, issued over
    the year ending ``on`` (each term still running)."""
    rows = []
    for index in range(first, first + count):
        functions = _functions(rng)
        if "robbery" in functions:
            holder = f"{rng.choice(names.BUSINESS_WORDS)} {rng.choice(names.BUSINESS_KINDS)}"
        else:
            holder = f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.LAST_NAMES)}"
        phone = f"480{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        email = f"{holder.split()[0].lower()}{index}@example.com" if rng.random() < 0.6 else ""
        rows.append(
            PermitRow(
                holder_name=holder,
                address=premise_address(index),
                functions=functions,
                issued_on=on - timedelta(days=rng.randint(1, 360)),
                company=rng.choice(companies),
                phone=phone,
                email=email,
            )
        )
    return rows


def registrations_csv(rows: list[PermitRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["holder_name", "address", "alarm_functions", "issued_on", "alarm_company", "phone",
         "email"]
    )  # fmt: skip
    for r in rows:
        writer.writerow(
            [r.holder_name, r.address, r.functions, r.issued_on.isoformat(), r.company, r.phone,
             r.email]
        )  # fmt: skip
    return out.getvalue().encode()


@dataclass
class Premise:
    """A permit as the feed generator sees it."""

    number: str
    address: str
    issued_on: date
    functions: str


def feed_lines(
    rng: random.Random,
    permits: list[Premise],
    count: int,
    *,
    on: date,
    prefix: str = "MPD",
    start: int = 1,
    heavy_share: float = 0.12,
    shares: tuple[float, float] = (0.70, 0.25),
) -> list[list[str]]:
    """``count`` calls over the 365 days before ``on`` (yesterday last):
    ``shares`` of them giving the permit number, then of them at a permit's
    address spelt out with no number, the rest at addresses no permit has.
    Dispositions 85 % false, 10 % cancelled, 5 % valid; 80 % burglary. A few
    permits (``heavy_share`` of the calls, on 1 % of the permits) call
    often enough to reach the 10th burglary false alarm."""
    heavy = permits[: max(1, len(permits) // 100)]
    yesterday = on - timedelta(days=1)
    first_day = on - timedelta(days=365)
    rows = []
    for n in range(count):
        roll = rng.random()
        permit = None
        if roll < shares[0] + shares[1]:
            permit = rng.choice(heavy if rng.random() < heavy_share else permits)
        if permit is not None:
            # A permit's calls come once it has one.
            low = min(max(first_day, permit.issued_on), yesterday)
            day = low + timedelta(days=rng.randint(0, (yesterday - low).days))
            address = permit.address if roll < shares[0] else spelled_out(permit.address)
            number = permit.number if roll < shares[0] else ""
            functions = permit.functions
        else:
            day = first_day + timedelta(days=rng.randint(0, 364))
            address = spelled_out(premise_address(rng.randrange(0, 20_000), odd=True))
            number, functions = "", "burglary;panic"
        kind = rng.random()
        if kind < 0.80 or functions == "burglary":
            alarm_type = "burglary"
        else:
            alarm_type = "robbery" if "robbery" in functions else "panic"
        roll = rng.random()
        disposition = "false" if roll < 0.85 else "cancelled" if roll < 0.95 else "valid"
        at = datetime.combine(day, time(0)) + timedelta(seconds=rng.randint(0, 86_399))
        rows.append(
            [f"{prefix}-{day:%y}-{start + n:06d}", at.isoformat(timespec="seconds"), address,
             alarm_type, disposition, number]
        )  # fmt: skip
    rows.sort(key=lambda row: row[1])
    return rows


def feed_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["incident_number", "reported_at", "address", "alarm_type", "disposition",
         "permit_number"]
    )  # fmt: skip
    writer.writerows(rows)
    return out.getvalue().encode()


def premises_of(summary: dict, rows: list[PermitRow]) -> list[Premise]:
    """The registrations' permits, from the import's summary (line 2 is row 0)."""
    return [
        Premise(p["permit_number"], rows[p["line"] - 2].address, rows[p["line"] - 2].issued_on,
                rows[p["line"] - 2].functions)
        for p in summary["permits"]
    ]  # fmt: skip

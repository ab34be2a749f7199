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
from decimal import Decimal

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
    heavy: int | None = None,
    shares: tuple[float, float] = (0.70, 0.25),
) -> list[list[str]]:
    """``count`` calls over the 365 days before ``on`` (yesterday last):
    ``shares`` of them giving the permit number, then of them at a permit's
    address spelt out with no number, the rest at addresses no permit has.
    Dispositions 85 % false, 10 % cancelled, 5 % valid; 80 % burglary. A few
    permits (``heavy_share`` of the calls, on 1 % of the permits) call
    often enough to reach the 10th burglary false alarm (or the first
    ``heavy`` permits)."""
    heavy = permits[: heavy or max(1, len(permits) // 100)]
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


# --- the demo city's Alarm Unit ----------------------------------------------
COMPANIES = 25
COUNTER_PERMITS = 24  # taken at the counter, at the city's own premises
LAPSED = 3  # counter permits from more than a year ago, never renewed
APPEAL_GROUNDS = (
    "The alarm company was servicing the panel that morning and did not put it on test.",
    "A monsoon storm knocked out the power; the alarm went off when it came back.",
    "Our house sitter entered the wrong code and called the monitoring center at once.",
    "The door contact was faulty; the alarm company replaced it the next day (invoice attached).",
    "We were out of state; the alarm was set off by a balloon left in the living room.",
)


def demo_alarms(*, clerk, supervisor, today: date) -> dict | None:
    """The Unit's first day on Mesa CS (``today``): companies, permits from
    their registration files and from the counter, the last year's calls,
    appeals, a suspension and a reinstatement, renewal notices. Nothing is
    dated after ``today``. None when already made, or for a city too small
    to hold it (or a benchmark's)."""
    from accounts.models import Account
    from alarms.models import AlarmPermit

    city = Account.objects.exclude(kind=Account.Kind.ALARM).count()
    if AlarmPermit.objects.exists() or not MIN_CITY <= city <= MAX_CITY:
        return None
    from alarms.services.feed import feed_import
    from alarms.services.notices import file_letters_send
    from alarms.services.registrations import registrations_import
    from alarms.services.renewals import renewals_run

    rng = random.Random(14)
    permits_wanted = min(300, city * 3 // 4)
    companies = _companies(rng)
    rows = registration_rows(
        rng, permits_wanted - COUNTER_PERMITS, companies=[c.name for c in companies], on=today
    )
    premises: list[Premise] = []
    # Three companies' files, as the Unit receives them.
    for part in range(3):
        chosen = {c.name for c in companies[part::3]}
        mine = [r for r in rows if r.company in chosen]
        summary, kept = registrations_import(
            content=registrations_csv(mine),
            filename=f"{companies[part].name.lower().replace(' ', '-')}-registrations.csv",
            by=clerk,
        )
        if summary["errors"]:
            raise RuntimeError(f"demo registrations refused: {summary['errors'][:3]}")
        file_letters_send(file_id=kept.pk)
        premises += premises_of(summary, mine)
    premises += _counter_permits(rng, today, clerk, companies)
    heavy = premises[:2]  # two holders whose alarm keeps going off
    count = 2 * len(premises)
    # About 20 calls each for the two: past the 10th burglary false alarm.
    calls = feed_lines(
        rng, premises, count, on=today, heavy_share=min(0.5, 40 / count), heavy=len(heavy)
    )
    summary, kept = feed_import(
        content=feed_csv(calls), filename=f"cad-alarms-{today:%Y%m%d}.csv", by=clerk
    )
    file_letters_send(file_id=kept.pk)
    appeals = _appeals(today, clerk, supervisor)
    reinstated = _reinstate(heavy, today, supervisor)
    renewals = renewals_run(on=today, by=clerk)
    return {
        "companies": len(companies),
        "permits": AlarmPermit.objects.count(),
        "incidents": summary["incidents"]["new"],
        "assessed": summary["total_assessed"],
        "suspensions": len(summary["suspensions"]),
        "reinstated": reinstated,
        "appeals": appeals,
        "renewal_notices": renewals["renewal_notices"],
        "expired": len(renewals["expired"]),
    }


def _companies(rng: random.Random):
    from alarms.services.permits import company_save

    made = []
    for n, name in enumerate(company_names(COMPANIES)):
        made.append(
            company_save(
                name=name,
                license_number=f"AZ-ALM-{10400 + n * 37}",
                contact_name=f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.LAST_NAMES)}",
                phone=f"480{rng.randint(200, 999)}{rng.randint(0, 9999):04d}",
                email=f"permits@{name.lower().replace(' ', '').replace('&', 'and')}.example.com",
                address=f"{1000 + n * 113} W Southern Ave, Mesa AZ 8520{n % 4 + 1}",
            )
        )
    return made


def _counter_permits(rng: random.Random, today: date, clerk, companies) -> list[Premise]:
    """Permits taken at the counter at the city's own premises (linked to
    them), with responders; the first few from more than a year ago and
    never renewed. Fees of those issued over a month ago are paid."""
    from accounts.models import Account
    from accounts.models import Premise as UtilityPremise
    from accounts.services.ledger import payment_post
    from alarms.models import AlarmPermit
    from alarms.services.permits import Application, permit_apply

    taken = set(AlarmPermit.objects.values_list("address_key", flat=True))
    made = []
    for premise in UtilityPremise.objects.filter(unit="").order_by("pk"):
        if len(made) == COUNTER_PERMITS:
            break
        if premise.address_key in taken:
            continue
        address = " ".join(
            p for p in (premise.house_number, premise.direction, premise.street_name,
                        premise.street_type) if p
        )  # fmt: skip
        business = rng.random() < 0.15
        lapsed = len(made) < LAPSED
        issued_on = today - timedelta(days=rng.randint(380, 420) if lapsed else rng.randint(2, 330))
        holder = (
            f"{rng.choice(names.BUSINESS_WORDS)} {rng.choice(names.BUSINESS_KINDS)}"
            if business
            else f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.LAST_NAMES)}"
        )
        permit = permit_apply(
            Application(
                holder_name=holder,
                customer_class=Account.CustomerClass.COMMERCIAL
                if business
                else Account.CustomerClass.RESIDENTIAL,
                address=address,
                zip_code=premise.zip_code,
                functions=["burglary", "robbery"] if business else ["burglary", "panic"],
                issued_on=issued_on,
                phone=f"480{rng.randint(200, 999)}{rng.randint(0, 9999):04d}",
                business=business,
                alarm_company=rng.choice(companies),
                responders=[
                    (
                        f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.LAST_NAMES)}",
                        f"602{rng.randint(200, 999)}{rng.randint(0, 9999):04d}",
                    )
                ],  # fmt: skip
            ),
            by=clerk,
        )
        taken.add(permit.address_key)
        if not lapsed and issued_on < today - timedelta(days=30):
            invoice = permit.invoices.get()
            payment_post(
                account=permit.account,
                amount=invoice.amount,
                effective_on=issued_on + timedelta(days=rng.randint(3, 25)),
                description="Payment at the counter",
                created_by=clerk,
                source_key=f"demo-alarm-payment:{invoice.number}",
            )
        made.append(
            Premise(
                permit.number,
                address,
                issued_on,
                "burglary;robbery" if business else "burglary;panic",
            )
        )
    return made


def _appeals(today: date, clerk, supervisor) -> dict:
    """Five false-alarm invoices appealed: one filed, one with its hearing
    set, three decided (waived, reduced, upheld)."""
    from alarms.models import AlarmInvoice, Appeal, Assessment
    from alarms.services.appeals import appeal_decide, appeal_file, appeal_schedule

    invoices = list(
        AlarmInvoice.objects.filter(kind=AlarmInvoice.Kind.FALSE_ALARM, amount__gte=100)
        .exclude(assessments__fee_type=Assessment.FeeType.NO_PERMIT)
        .order_by("number")[:5]
    )
    made = []
    for invoice, grounds in zip(invoices, APPEAL_GROUNDS, strict=False):
        made.append(appeal_file(invoice=invoice, filed_on=today, grounds=grounds, by=clerk))
    if len(made) > 1:
        appeal_schedule(
            appeal=made[1], hearing_on=today + timedelta(days=14), hearing_time=time(9, 30)
        )
    decisions = [
        (Appeal.Outcome.WAIVED, "The alarm company's service record confirms the test.", None),
        (Appeal.Outcome.REDUCED, "A power failure; reduced to the first alarm's fee.", "50.00"),
        (Appeal.Outcome.UPHELD, "No record supports the grounds given.", None),
    ]
    for appeal, (outcome, reason, amount) in zip(made[2:], decisions, strict=False):
        appeal_schedule(appeal=appeal, hearing_on=today, hearing_time=time(10, 0))
        appeal_decide(
            appeal=appeal,
            outcome=outcome,
            reason=reason,
            on=today,
            by=supervisor,
            amount_upheld=Decimal(amount) if amount else None,
        )
    return {s.value: Appeal.objects.filter(status=s).count() for s in Appeal.Status}


def _reinstate(heavy: list[Premise], today: date, supervisor) -> list[str]:
    """The second heavy caller had its door sensors replaced and paid its
    fees at the counter: reinstated; the first stays suspended."""
    from accounts.selectors.ledger import account_balance
    from accounts.services.ledger import payment_post
    from alarms.models import AlarmPermit
    from alarms.services.suspensions import permit_reinstate

    done = []
    for permit in AlarmPermit.objects.filter(
        number__in=[p.number for p in heavy[1:]], status=AlarmPermit.Status.SUSPENDED
    ):
        owed = account_balance(permit.account_id, today)
        if owed > 0:
            payment_post(
                account=permit.account,
                amount=owed,
                effective_on=today,
                description="Payment at the counter",
                created_by=supervisor,
                source_key=f"demo-alarm-reinstatement:{permit.number}",
            )
        permit_reinstate(
            permit=permit,
            on=today,
            by=supervisor,
            note="The alarm company replaced the faulty door sensors (work order attached).",
        )
        done.append(permit.number)
    return done

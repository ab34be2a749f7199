"""A believable Mesa for demos and benchmarks, built with COPY.

Each account is generated from its own random stream (seed, index), so the
city is the same for a seed whatever the batch size, and a later run can add
accounts N..M without changing the first N. The city keeps no billing rules
of its own: bills are priced by the rate engine from the rate book in the
database, due by ``due_date``, posted as ``charge_legs`` builds them; payments
are applied by ``credit_legs``; late fees are ``late_fee_for`` the past due
that the ledger's open items give (``demo/books.py``). Rows are dicts whose
COPY columns come from each model (``demo/bulk.py``). Nothing is dated after
``as_of``.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import (
    Account,
    AccountNote,
    AccountPerson,
    Contact,
    Deposit,
    GLAccount,
    JournalEntry,
    JournalLeg,
    Meter,
    MeterInstallation,
    MeterRead,
    Person,
    Premise,
    ProgramEnrolment,
    ServiceAgreement,
    ServiceArea,
    ServicePoint,
)
from accounts.services.ledger import Charge, Leg
from billing.models import Bill, BillSegment, HeatContentFactor
from billing.rules.cycles import bill_date, read_date
from billing.rules.engine import BillInput, calculate
from billing.services.bills import billed_determinants_rebuild, due_date, therms_from_ccf
from billing.services.rates import ratebook_from_db
from demo import names
from demo.books import AccountBook, DemoChart, HistoryData
from demo.bulk import CopyRows, advance_sequence, bulk_load, first_free_id
from mesa_cs.lib.address import normalize_address
from mesa_cs.lib.luhn import luhn_check_digit
from mesa_cs.lib.money import ZERO, to_money

# The factor recorded for months that have none yet (seed_demo's city and the
# benchmarks'); bills then convert CCF to therms by whatever is recorded.
GAS_THERMS_PER_CCF = Decimal("1.03")
STREETS = names.NS_ARTERIALS + names.EW_ARTERIALS + names.LOCAL_STREETS
DIRECTIONS = ("N", "S", "E", "W")
Kind = JournalEntry.Kind
Purpose = GLAccount.Purpose
# Within a day: payments arrive, then the bill run, then the late-fee job.
PAY, BILL, LATE = 0, 1, 2


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


@functools.cache
def read_dates(cycle: int, months: int, as_of: date) -> tuple[date, ...]:
    """months+1 read dates; the last is the latest whose bill (read + 2 days)
    is on or before as_of (the same for every account of a cycle)."""
    year, month = as_of.year, as_of.month
    last = read_date(year, month, cycle)
    if bill_date(last) > as_of:
        year, month = add_months(year, month, -1)
        last = read_date(year, month, cycle)
    dates = [last]
    for _ in range(months):
        year, month = add_months(year, month, -1)
        dates.append(read_date(year, month, cycle))
    return tuple(dates[::-1])


def zip_for(direction: str, number: int) -> str:
    north = direction in ("N", "E") and number % 2 == 0 or direction == "N"
    if direction == "W" or number < 1000:
        return "85201" if north else ("85202" if direction == "W" else "85210")
    if number < 2400:
        return "85203" if north else "85204"
    if number < 4000:
        return "85213" if north else "85206"
    if number < 6000:
        return "85205" if north else "85206"
    if number < 8000:
        return "85207" if north else "85208"
    if number < 9600:
        return "85215" if north else "85209"
    return "85212"


AREA_BY_ZIP = {
    "85201": ServiceArea.WEST,
    "85202": ServiceArea.WEST,
    "85210": ServiceArea.WEST,
    "85203": ServiceArea.CENTRAL,
    "85204": ServiceArea.CENTRAL,
    "85213": ServiceArea.NORTHEAST,
    "85205": ServiceArea.NORTHEAST,
    "85206": ServiceArea.SOUTHEAST,
    "85207": ServiceArea.NORTHEAST,
    "85208": ServiceArea.SOUTHEAST,
    "85215": ServiceArea.NORTHEAST,
    "85209": ServiceArea.SOUTHEAST,
    "85212": ServiceArea.SOUTHEAST,
}


@dataclass
class Ids:
    """Running id counters per model, reserved up front for a batch."""

    next: dict[type, int] = field(default_factory=dict)

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


class Rows:
    """A batch's rows, per model."""

    def __init__(self):
        self.tables = {model: CopyRows(model) for model in MODELS}

    def add(self, model, row: dict) -> None:
        self.tables[model].add(row)


# Loaded in this order, each with the ids of the ones before it.
MODELS = [
    Person,
    Account,
    AccountPerson,
    Premise,
    ServicePoint,
    Meter,
    MeterInstallation,
    MeterRead,
    ServiceAgreement,
    ProgramEnrolment,
    JournalEntry,
    JournalLeg,
    Deposit,
    Contact,
    AccountNote,
    Bill,
    BillSegment,
]
TABLES = [model._meta.db_table for model in MODELS]
# A co-applicant: a name on the account, nothing else known.
BLANK_PERSON = dict.fromkeys(
    (
        "business_name",
        "phone",
        "alt_phone",
        "email",
        "mailing_line1",
        "mailing_line2",
        "mailing_city",
        "mailing_state",
        "mailing_zip",
        "id_type",
        "id_last4",
    ),
    "",
) | {"preferred_language": "en"}


@dataclass
class Service:
    utility: str
    schedule: str
    sa_id: int = 0
    point_id: int | None = None
    installation_id: int | None = None
    meter_size: str | None = None
    containers: int | None = None
    service_code: str = ""
    acres: Decimal | None = None
    base: float = 1.0
    register: int = 0
    dials: int = 5


class CityBuilder:
    """Generates accounts [start, stop) and loads them in one transaction."""

    def __init__(
        self,
        *,
        seed: int,
        months: int,
        as_of: date,
        long_history: int,
        unbilled_from: date | None = None,
        stdout=None,
    ):
        self.seed, self.months, self.as_of = seed, months, as_of
        # Reads dated for bills on or after this day are left for a real bill run.
        self.unbilled_from = unbilled_from
        self.long_history = long_history
        self.book = ratebook_from_db()
        self.prices: dict[tuple, tuple[Decimal, Decimal]] = {}
        self.stdout = stdout
        self.chart = DemoChart()
        self.tz = timezone.get_current_timezone()
        self.clock = timezone.now()
        self.stamps: dict[tuple[date, int], datetime] = {}

    def _at(self, day: date, hour: int) -> datetime:
        """A business day's time for created stamps, never after the clock."""
        stamp = self.stamps.get((day, hour))
        if stamp is None:
            stamp = min(datetime(day.year, day.month, day.day, hour, tzinfo=self.tz), self.clock)
            self.stamps[(day, hour)] = stamp
        return stamp

    # --- loading ----------------------------------------------------------
    def build(self, start: int, stop: int, batch: int = 5000) -> int:
        created = 0
        with transaction.atomic():
            self.data = HistoryData(self._heat_factors(start, stop))
            with bulk_load(TABLES):
                first_entry = None
                for low in range(start, stop, batch):
                    high = min(stop, low + batch)
                    entry_start = self._load_batch(low, high)
                    first_entry = first_entry or entry_start
                    created += high - low
                    if self.stdout:
                        self.stdout.write(f"  accounts {high:,} of {stop:,}")
                self._check_ledger(first_entry)
            # The bills went in by COPY, not bills_write: count them set-wise.
            billed_determinants_rebuild()
        return created

    def _heat_factors(self, start: int, stop: int) -> list[tuple[date, Decimal]]:
        """Gas bills convert CCF to therms by the recorded factor of the month
        (``BillingData.heat_factor``): record the demo's for the months of
        the history that have none, none after ``as_of``."""
        longest = max(self.months, 60) if start < self.long_history else self.months
        month = date(self.as_of.year, self.as_of.month, 1)
        for _ in range(longest + 2):
            HeatContentFactor.objects.get_or_create(
                month=month, defaults={"factor": GAS_THERMS_PER_CCF}
            )
            year, number = add_months(month.year, month.month, -1)
            month = date(year, number, 1)
        return list(HeatContentFactor.objects.order_by("-month").values_list("month", "factor"))

    def _load_batch(self, low: int, high: int) -> int:
        ids = Ids({model: first_free_id(model._meta.db_table) for model in MODELS})
        first_entry = ids.next[JournalEntry]
        numbers = self._account_numbers(high - low)
        rows = Rows()
        for offset, index in enumerate(range(low, high)):
            self._account(index, numbers[offset], ids, rows)
        for model in MODELS:
            rows.tables[model].copy()
            advance_sequence(model._meta.db_table, ids.next[model] - 1)
        return first_entry

    def _account_numbers(self, count: int) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval('accounts_account_number_seq') FROM generate_series(1, %s)", [count]
            )
            payloads = [f"{value:09d}" for (value,) in cursor.fetchall()]
        return [p + luhn_check_digit(p) for p in payloads]

    def _check_ledger(self, first_entry: int | None) -> None:
        """What the disabled ledger triggers would have checked, set-wise: every
        entry has two or more legs summing to zero. No join, so no plan can
        turn it into a loop over the legs while their indexes are dropped."""
        if first_entry is None:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                """WITH legs AS (
                       SELECT entry_id, count(*) AS n, sum(amount) AS total
                         FROM accounts_journalleg WHERE entry_id >= %s GROUP BY entry_id)
                   SELECT (SELECT count(*) FROM accounts_journalentry WHERE id >= %s)
                          - (SELECT count(*) FROM legs),
                          ARRAY(SELECT entry_id FROM legs WHERE n < 2 OR total <> 0 LIMIT 5)""",
                [first_entry, first_entry],
            )
            without_legs, bad = cursor.fetchone()
        if without_legs or bad:
            raise RuntimeError(
                f"seed produced unbalanced journal entries: {bad} "
                f"({without_legs} entries without legs)"
            )

    # --- one account -------------------------------------------------------
    def _account(self, index: int, number: str, ids: Ids, rows: Rows) -> None:
        rng = random.Random(self.seed * 1_000_003 + index)
        months = max(self.months, 60) if index < self.long_history else self.months
        cycle = index % 20 + 1
        reads = read_dates(cycle, months, self.as_of)
        commercial = rng.random() < 0.1
        street, street_type = STREETS[index % len(STREETS)]
        direction = DIRECTIONS[(index // len(STREETS)) % 4]
        # Distinct (street, direction, number) for every index, spread over the city.
        k, street_no, dir_no = (
            index // (len(STREETS) * 4),
            index % len(STREETS),
            (index // len(STREETS)) % 4,
        )
        house = 100 + (k * 2459 + street_no * 811 + dir_no * 97) % 9900
        zip_code = zip_for(direction, house)
        unit = (
            f"{rng.randint(1, 3)}{rng.randint(1, 40):02d}"
            if not commercial and rng.random() < 0.12
            else ""
        )
        premise_id = ids.take(Premise)
        line = " ".join(p for p in (str(house), direction, street, street_type) if p)
        if unit:
            line += f" Unit {unit}"
        parcel = f"{100 + index // 90000:03d}-{10 + (index // 1000) % 90:02d}-{index % 1000:03d}"
        rows.add(
            Premise,
            {
                "id": premise_id,
                "house_number": str(house),
                "direction": direction,
                "street_name": street,
                "street_type": street_type,
                "unit": unit,
                "city": "Mesa",
                "zip_code": zip_code,
                "parcel": parcel,
                "address_key": normalize_address(line),
                "service_area": AREA_BY_ZIP.get(zip_code, ServiceArea.CENTRAL),
            },
        )

        # People
        person_id = ids.take(Person)
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        if commercial:
            business = f"{rng.choice(names.BUSINESS_WORDS)} {rng.choice(names.BUSINESS_KINDS)}"
            display = business
        else:
            business, display = "", f"{first} {last}"
        phone = f"{rng.choice(('480', '480', '602', '623'))}{rng.randint(2000000, 9999999)}"
        email = (
            f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@example.com"
            if rng.random() < 0.6
            else ""
        )
        opened_on = (
            reads[0] - timedelta(days=rng.randint(0, 5000)) if rng.random() < 0.85 else reads[0]
        )
        rows.add(
            Person,
            {
                "id": person_id,
                "first_name": "" if commercial else first,
                "last_name": "" if commercial else last,
                "business_name": business,
                "phone": phone,
                "alt_phone": "",
                "email": email,
                "mailing_line1": line if rng.random() < 0.9 else f"PO Box {rng.randint(100, 9999)}",
                "mailing_line2": "",
                "mailing_city": "Mesa",
                "mailing_state": "AZ",
                "mailing_zip": zip_code,
                "preferred_language": "es" if rng.random() < 0.08 else "en",
                "id_type": rng.choice(("ssn", "dl", "state_id")) if not commercial else "ein",
                "id_last4": f"{rng.randint(0, 9999):04d}",
                "created_at": self._at(opened_on, 9),
            },
        )
        account_id = ids.take(Account)
        final_at = None
        if rng.random() < 0.02 and months > 3:
            final_at = rng.randint(2, months - 1)
        status = "final" if final_at else "active"
        rows.add(
            Account,
            {
                "id": account_id,
                "number": number,
                "kind": "utility",
                "customer_class": "commercial" if commercial else "residential",
                "status": status,
                "name": display,
                "bill_cycle": cycle,
                "opened_on": opened_on,
            },
        )
        rows.add(
            AccountPerson,
            {
                "id": ids.take(AccountPerson),
                "account_id": account_id,
                "person_id": person_id,
                "role": "main",
                "starts_on": opened_on,
            },
        )
        if not commercial and rng.random() < 0.12:
            co_id = ids.take(Person)
            co_first = rng.choice(names.FIRST_NAMES)
            rows.add(
                Person,
                {
                    **BLANK_PERSON,
                    "id": co_id,
                    "first_name": co_first,
                    "last_name": last,
                    "created_at": self._at(opened_on, 9),
                },
            )
            rows.add(
                AccountPerson,
                {
                    "id": ids.take(AccountPerson),
                    "account_id": account_id,
                    "person_id": co_id,
                    "role": "co_applicant",
                    "starts_on": opened_on,
                },
            )

        services = self._services(rng, commercial, zip_code, house, direction)
        ends_on = reads[final_at] if final_at else None
        sa_status = "active"
        if final_at:
            # Closed once the final bill is out; still "final" while it is to come.
            billed = self.unbilled_from is None or bill_date(reads[final_at]) < self.unbilled_from
            sa_status = "closed" if billed else "final"
        for service in services:
            service.sa_id = ids.take(ServiceAgreement)
            if service.utility in ("electric", "gas", "water"):
                service.point_id = ids.take(ServicePoint)
                rows.add(
                    ServicePoint,
                    {
                        "id": service.point_id,
                        "premise_id": premise_id,
                        "utility": service.utility,
                        "location": rng.choice(("front yard", "left side", "right side", "alley")),
                    },
                )
                meter_id = ids.take(Meter)
                prefix = {"electric": "E", "gas": "G", "water": "W"}[service.utility]
                service.dials = {"electric": 5, "gas": 4, "water": 6}[service.utility]
                rows.add(
                    Meter,
                    {
                        "id": meter_id,
                        "number": f"{prefix}{index + 1:08d}",
                        "utility": service.utility,
                        "size": service.meter_size or "",
                        "dials": service.dials,
                        "multiplier": Decimal("1"),
                        "status": "installed",
                    },
                )
                service.installation_id = ids.take(MeterInstallation)
                service.register = rng.randint(0, 10 ** (service.dials - 1))
                rows.add(
                    MeterInstallation,
                    {
                        "id": service.installation_id,
                        "meter_id": meter_id,
                        "service_point_id": service.point_id,
                        "installed_on": opened_on,
                        "install_read": Decimal(service.register),
                    },
                )
            rows.add(
                ServiceAgreement,
                {
                    "id": service.sa_id,
                    "account_id": account_id,
                    "premise_id": premise_id,
                    "service_point_id": service.point_id,
                    "utility": service.utility,
                    "rate_schedule": service.schedule,
                    "starts_on": opened_on,
                    "ends_on": ends_on,
                    "status": sa_status,
                    "containers": service.containers,
                    "service_code": service.service_code,
                    "acres": service.acres,
                },
            )

        programs = set()
        if not commercial and rng.random() < 0.04:
            programs.add("LISR")
        if any(s.utility == "electric" for s in services) and not commercial and rng.random() < 0.1:
            programs.add("SEA")
        enrolments = []
        for program in sorted(programs):
            ends = reads[0] + timedelta(days=365 * 5) if program == "LISR" else None
            enrolments.append((program, reads[0], ends))
            rows.add(
                ProgramEnrolment,
                {
                    "id": ids.take(ProgramEnrolment),
                    "account_id": account_id,
                    "program": program,
                    "starts_on": reads[0],
                    "ends_on": ends,
                    "verified_by": "demo data",
                },
            )
        self.data.start_account(account_id, enrolments)

        self._history(rng, account_id, services, reads, final_at, commercial, opened_on, ids, rows)
        self._extras(rng, account_id, person_id, reads, ids, rows)

    def _services(self, rng, commercial, zip_code, house, direction) -> list[Service]:
        services = []
        downtown = zip_code in ("85201", "85203", "85210") and house < 1200
        if commercial:
            size = rng.choice(("1", "1.5", "2", "2", "3"))
            services.append(
                Service("water", "W3.1", meter_size=size, base=rng.lognormvariate(1.2, 0.7))
            )
            services.append(Service("wastewater", "S3.1"))
            bins = rng.choice(("2yd:1", "3yd:1", "3yd:2", "4yd:1", "4yd:2", "6yd:2", "8yd:3"))
            services.append(
                Service(
                    "solid_waste", "SW3.1", containers=rng.choice((1, 1, 1, 2)), service_code=bins
                )
            )
            if rng.random() < 0.3:
                services.append(Service("gas", "G1.1", base=rng.uniform(2, 6)))
            if downtown and rng.random() < 0.6:
                services.append(Service("electric", "E3.1", base=rng.uniform(2, 8)))
            return services
        services.append(
            Service(
                "water",
                "W1.1",
                meter_size=rng.choice(("5/8", "3/4", "3/4", "1")),
                base=rng.lognormvariate(0, 0.35),
            )
        )
        services.append(Service("wastewater", "S1.1"))
        services.append(
            Service("solid_waste", "SW1.1" if rng.random() < 0.75 else "SW1.2", containers=1)
        )
        if rng.random() < 0.1:
            services.append(Service("solid_waste", "SW1.3", containers=1))
        if rng.random() < 0.33:
            services.append(Service("gas", "G1.1", base=rng.lognormvariate(0, 0.3)))
        if downtown and rng.random() < 0.8:
            services.append(Service("electric", "E1.1", base=rng.lognormvariate(0, 0.3)))
        if rng.random() < 0.02:
            services.append(
                Service(
                    "irrigation", "I1.1", acres=Decimal(rng.choice(("0.25", "0.5", "1.0", "1.25")))
                )
            )
        return services

    def _usage(self, rng, service: Service, month: int, commercial: bool) -> Decimal:
        """What the register moves (gas in CCF)."""
        summer = month in (5, 6, 7, 8, 9, 10)
        if service.utility == "water":
            typical = (14 if summer else 8) * service.base
            return Decimal(max(0, round(rng.gauss(typical, typical * 0.15))))
        if service.utility == "electric":
            typical = (1250 if summer else 620) * service.base
            return Decimal(max(0, round(rng.gauss(typical, typical * 0.12))))
        if service.utility == "gas":
            therms = (14 if summer else 48) * service.base
            # random.gauss works in floats; the usage leaves as a whole Decimal.
            ccf = float(GAS_THERMS_PER_CCF)
            return Decimal(max(0, round(rng.gauss(therms, therms * 0.15) / ccf)))
        return Decimal(0)

    def _price(self, service, start, end, usage, winter, programs) -> tuple[Decimal, Decimal]:
        """(charge, tax) of one service's period by the rate engine, remembered
        for the same inputs (keyed by a plain tuple: cheaper than a BillInput)."""
        key = (service.schedule, start, end, usage, service.meter_size, service.containers)
        key += (service.service_code, service.acres, winter, programs)
        cached = self.prices.get(key)
        if cached is None:
            bill = BillInput(
                schedule=service.schedule,
                start=start,
                end=end,
                usage=usage,
                meter_size=service.meter_size,
                quantity=service.containers or 1,
                service=service.service_code or None,
                acres=service.acres,
                winter_average=winter,
                programs=programs,
            )
            calc = calculate(self.book, self._within_book(bill))
            tax = sum((ln.amount for ln in calc.lines if ln.kind == "tax"), ZERO)
            cached = (calc.total - tax, tax)
            self.prices[key] = cached
        return cached

    def _within_book(self, bill: BillInput) -> BillInput:
        """The shipped rate book starts in 2025. Demo history older than that
        (the 5-year accounts) is priced as the same dates a whole number of
        years later; docs/demo_data.md says so."""
        first = self.book.schedules[bill.schedule].versions[0].effective
        years = 0
        while bill.start.replace(year=bill.start.year + years, day=min(bill.start.day, 28)) < first:
            years += 1
        if not years:
            return bill
        return replace(
            bill,
            start=_shift_years(bill.start, years),
            end=_shift_years(bill.end, years),
        )

    def _history(
        self, rng, account_id, services, reads, final_at, commercial, opened_on, ids, rows
    ) -> None:
        """Reads, bills, payments and late fees, posted in date order."""
        behaviour = rng.choices(
            ("ontime", "autopay", "late", "delinquent"), weights=(76, 12, 9, 3)
        )[0]
        book = AccountBook(account_id, self.chart)
        data = self.data
        events: list[tuple] = []  # a heap of (day, PAY/BILL/LATE, sequence, what)
        sequence = itertools.count()
        cash = self.chart.get(Purpose.CASH)
        last_period = final_at if final_at else len(reads) - 1
        add_entry, add_leg = rows.tables[JournalEntry].add, rows.tables[JournalLeg].add

        def post(entry_id, kind, on, description, legs, due_on=None, source_key=None) -> None:
            add_entry(
                {
                    "id": entry_id,
                    "kind": kind,
                    "effective_on": on,
                    "due_on": due_on,
                    "description": description,
                    "account_id": account_id,
                    "source_key": source_key,
                },
            )
            for leg in legs:
                if leg.amount:  # as entry_post drops them
                    add_leg(
                        {
                            "id": ids.take(JournalLeg),
                            "entry_id": entry_id,
                            "gl_account_id": leg.gl.pk,
                            "account_id": leg.account_id,
                            "service_agreement_id": leg.service_agreement_id,
                            "amount": leg.amount,
                        },
                    )

        def happen(until: tuple) -> None:
            """Everything due before ``until`` (a day and an order), oldest first."""
            while events and events[0][:2] < until:
                on, order, _, what = heapq.heappop(events)
                if order == LATE:
                    # late_fees_assess on the day after the due date.
                    past_due, fee, tax = book.late_fee(on)
                    if fee:
                        entry_id = ids.take(JournalEntry)
                        legs = book.charge(
                            entry_id,
                            Kind.LATE_FEE,
                            on,
                            on,
                            [
                                Charge(fee, revenue_purpose=Purpose.FEES),
                                Charge(tax, revenue_purpose=Purpose.TAX),
                            ],
                        )
                        post(
                            entry_id,
                            Kind.LATE_FEE,
                            on,
                            f"Late fee on ${past_due} past due",
                            legs,
                            due_on=on,
                            source_key=f"latefee:{what['bill_id']}",
                        )
                    continue
                owed = book.owed
                if owed <= ZERO:
                    continue
                amount = owed if what.get("full") else to_money(owed * Decimal(what["share"]))
                if amount > ZERO:
                    legs = [Leg(cash, amount), *book.pay(Kind.PAYMENT, amount)]
                    post(ids.take(JournalEntry), Kind.PAYMENT, on, what["label"], legs)

        def schedule(on: date, order: int, what: dict) -> None:
            if on <= self.as_of:
                heapq.heappush(events, (on, order, next(sequence), what))

        if opened_on == reads[0] and not commercial:
            # Paid at the counter when the service started: the deposit the
            # deposit pages list, and the cash held for it on the ledger.
            rows.add(
                Deposit,
                {
                    "id": ids.take(Deposit),
                    "account_id": account_id,
                    "amount": Decimal("50.00"),
                    "reason": "Residential deposit: no credit history with the City",
                    "required_on": opened_on,
                    "bond_reference": "",
                },
            )
            post(
                ids.take(JournalEntry),
                Kind.DEPOSIT,
                opened_on,
                "Residential deposit",
                [
                    Leg(cash, Decimal("50.00")),
                    Leg(self.chart.get(Purpose.DEPOSITS), Decimal("-50.00"), account_id),
                ],
            )

        for k in range(1, last_period + 1):
            start, end = reads[k - 1], reads[k]
            bill_on = bill_date(end)
            happen((bill_on, BILL))
            due_on = due_date(bill_on)
            unbilled = self.unbilled_from is not None and bill_on >= self.unbilled_from
            programs = data.programs(account_id, end)
            winter = data.winter_average(account_id, end)
            charges, segments, water = [], [], ZERO
            for service in services:
                usage = self._usage(rng, service, end.month, commercial)
                start_read = end_read = None
                if service.installation_id is not None:
                    start_read = Decimal(service.register)
                    service.register = (service.register + int(usage)) % 10**service.dials
                    end_read = Decimal(service.register)
                    rows.add(
                        MeterRead,
                        {
                            "id": ids.take(MeterRead),
                            "installation_id": service.installation_id,
                            "read_on": end,
                            "register": end_read,
                            "kind": "final" if final_at == k else "actual",
                            "status": "accepted",
                            "source": "handheld",
                            "created_at": self._at(end, 16),
                        },
                    )
                if service.utility == "gas":
                    usage = therms_from_ccf(usage, end, data)
                if service.utility == "water":
                    water = usage
                if service.utility == "wastewater":
                    usage = water
                if unbilled:
                    continue
                charge, tax = self._price(
                    service,
                    start,
                    end,
                    usage,
                    winter if service.utility == "wastewater" else None,
                    programs,
                )
                if service.utility == "water":
                    data.water_billed(account_id, end, usage)
                segments.append(
                    {
                        "service_agreement_id": service.sa_id,
                        "utility": service.utility,
                        "rate_schedule": service.schedule,
                        "start": start,
                        "end": end,
                        "usage": usage,
                        "unit": self.book.schedules[service.schedule].unit,
                        "start_read": start_read,
                        "end_read": end_read,
                        "estimated": False,
                        "total": charge + tax,
                        # As _price gave them to the engine.
                        "quantity": service.containers or 1,
                        "service_code": service.service_code,
                        "meter_size": service.meter_size or "",
                        "acres": service.acres,
                    }
                )
                # As bills_write charges a segment: the charge, and its tax.
                charges.append(Charge(charge, service.utility, service.schedule, service.sa_id))
                if tax:
                    charges.append(
                        Charge(tax, service.utility, service.schedule, service.sa_id, Purpose.TAX)
                    )
            if unbilled:
                break
            label = "Final bill" if final_at == k else "Bill"
            entry_id = ids.take(JournalEntry)
            legs = book.charge(entry_id, Kind.BILL, bill_on, due_on, charges)
            post(
                entry_id,
                Kind.BILL,
                bill_on,
                f"{label} {start:%m/%d/%Y}–{end:%m/%d/%Y}",
                legs,
                due_on=due_on,
                source_key=f"bill:{account_id}:{end.isoformat()}",
            )
            bill_id = ids.take(Bill)
            current = sum((c.amount for c in charges), ZERO)
            rows.add(
                Bill,
                {
                    "id": bill_id,
                    "account_id": account_id,
                    "period_start": start,
                    "period_end": end,
                    "bill_on": bill_on,
                    "due_on": due_on,
                    "previous_balance": book.balance - current - book.payments - book.other,
                    "payments": book.payments,
                    "other_charges": book.other,
                    "current_charges": current,
                    "amount_due": book.balance,
                    "estimated": False,
                    "status": "issued",
                    "entry_id": entry_id,
                    "messages": "",
                    "created_at": self._at(bill_on, 6),
                },
            )
            book.billed()
            for seg in segments:
                rows.add(BillSegment, {"id": ids.take(BillSegment), "bill_id": bill_id, **seg})
            for on, what in self._payments_for(rng, behaviour, bill_on, due_on, final_at == k):
                schedule(on, PAY, what)
            schedule(due_on + timedelta(days=1), LATE, {"bill_id": bill_id})
        happen((self.as_of + timedelta(days=1), PAY))

    def _payments_for(self, rng, behaviour, bill_on, due_on, final) -> list[tuple[date, dict]]:
        if behaviour == "autopay":
            return [(due_on, {"full": True, "label": "ACH autopay"})]
        if behaviour == "ontime":
            on = bill_on + timedelta(days=rng.randint(4, 20))
            channel = rng.choice(
                ("Online payment", "Lockbox check", "Kiosk payment", "Counter payment")
            )
            return [(on, {"full": True, "label": channel})]
        if behaviour == "late":
            on = due_on + timedelta(days=rng.randint(3, 28))
            return [(on, {"full": True, "label": "Online payment"})]
        if rng.random() < (0.35 if final else 0.55):
            on = due_on + timedelta(days=rng.randint(5, 35))
            share = f"{rng.uniform(0.3, 0.8):.2f}"
            return [(on, {"share": share, "label": "Counter payment"})]
        return []

    def _extras(self, rng, account_id, person_id, reads, ids, rows) -> None:
        topics = (
            ("billing", "Asked why the bill was higher than last month; explained summer usage."),
            ("payment", "Confirmed payment received; no balance due."),
            ("start_stop", "Asked about transferring service to a new address next month."),
            ("solid_waste", "Reported a missed pick-up; scheduled for tomorrow."),
            ("arrangement", "Asked about a payment arrangement; explained eligibility."),
        )
        for _ in range(rng.choice((0, 0, 0, 0, 0, 1, 1, 2))):
            topic, note = rng.choice(topics)
            day = reads[rng.randint(1, len(reads) - 1)]
            rows.add(
                Contact,
                {
                    "id": ids.take(Contact),
                    "account_id": account_id,
                    "person_id": person_id,
                    "channel": rng.choice(("call", "call", "call", "walk_in", "email")),
                    "topic": topic,
                    "notes": note,
                    "created_at": self._at(day, 10),
                },
            )
        if rng.random() < 0.03:
            rows.add(
                AccountNote,
                {
                    "id": ids.take(AccountNote),
                    "account_id": account_id,
                    "text": rng.choice(
                        (
                            "Dog in yard: call before entering.",
                            "Gate code 4417.",
                            "Meter behind locked gate; key at office.",
                        )
                    ),
                    "pinned": True,
                    "created_at": self._at(reads[0], 11),
                },
            )


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)

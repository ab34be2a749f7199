"""A believable Mesa for demos and benchmarks, built with COPY.

Each account is generated from its own random stream (seed, index), so the
city is the same for a seed whatever the batch size, and a later run can add
accounts N..M without changing the first N. Bills are priced by the real rate
engine from the shipped rate book; payments are applied oldest charge first;
late fees follow the Mesa rule.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import GLAccount, JournalEntry
from billing.rules.cycles import bill_date, read_date
from billing.rules.engine import BillInput, calculate
from billing.services.rates import ratebook_from_db
from demo import names
from demo.bulk import advance_sequence, bulk_load, copy_rows, first_free_id
from mesa_cs.lib.address import normalize_address
from mesa_cs.lib.luhn import luhn_check_digit
from mesa_cs.lib.money import ZERO, to_money

DUE_DAYS = 21
LATE_FEE_MINIMUM_PAST_DUE = Decimal("25.00")
LATE_FEE_PERCENT = Decimal("0.02")
LATE_FEE_FLOOR = Decimal("5.00")
SALES_TAX = Decimal("0.083")
GAS_THERMS_PER_CCF = Decimal("1.03")
STREETS = names.NS_ARTERIALS + names.EW_ARTERIALS + names.LOCAL_STREETS
DIRECTIONS = ("N", "S", "E", "W")


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def read_dates(cycle: int, months: int, as_of: date) -> list[date]:
    """months+1 read dates; the last is the latest whose bill (read + 2 days)
    is on or before as_of."""
    year, month = as_of.year, as_of.month
    last = read_date(year, month, cycle)
    if bill_date(last) > as_of:
        year, month = add_months(year, month, -1)
        last = read_date(year, month, cycle)
    dates = [last]
    for _ in range(months):
        year, month = add_months(year, month, -1)
        dates.append(read_date(year, month, cycle))
    return dates[::-1]


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
    "85201": "West",
    "85202": "West",
    "85210": "West",
    "85203": "Central",
    "85204": "Central",
    "85213": "Northeast",
    "85205": "Northeast",
    "85206": "Southeast",
    "85207": "Northeast",
    "85208": "Southeast",
    "85215": "Northeast",
    "85209": "Southeast",
    "85212": "Southeast",
}


@dataclass
class Ids:
    """Running id counters per table, reserved up front for a batch."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


@dataclass
class Rows:
    tables: dict[str, list] = field(default_factory=dict)

    def add(self, table: str, row: tuple) -> None:
        self.tables.setdefault(table, []).append(row)


COLUMNS = {
    "accounts_person": [
        "id",
        "first_name",
        "last_name",
        "business_name",
        "phone",
        "alt_phone",
        "email",
        "mailing_line1",
        "mailing_line2",
        "mailing_city",
        "mailing_state",
        "mailing_zip",
        "preferred_language",
        "id_type",
        "id_last4",
        "created_at",
    ],
    "accounts_account": [
        "id",
        "number",
        "kind",
        "customer_class",
        "status",
        "name",
        "bill_cycle",
        "opened_on",
        "closed_on",
    ],
    "accounts_accountperson": ["id", "account_id", "person_id", "role", "starts_on", "ends_on"],
    "accounts_premise": [
        "id",
        "house_number",
        "direction",
        "street_name",
        "street_type",
        "unit",
        "city",
        "zip_code",
        "parcel",
        "address_key",
        "service_area",
    ],
    "accounts_servicepoint": ["id", "premise_id", "utility", "location"],
    "accounts_meter": ["id", "number", "utility", "size", "dials", "multiplier", "status"],
    "accounts_meterinstallation": [
        "id",
        "meter_id",
        "service_point_id",
        "installed_on",
        "removed_on",
        "install_read",
        "remove_read",
    ],
    "accounts_meterread": [
        "id",
        "installation_id",
        "read_on",
        "register",
        "kind",
        "status",
        "source",
        "created_at",
    ],
    "accounts_serviceagreement": [
        "id",
        "account_id",
        "premise_id",
        "service_point_id",
        "utility",
        "rate_schedule",
        "starts_on",
        "ends_on",
        "status",
        "containers",
        "service_code",
        "acres",
    ],
    "accounts_programenrolment": [
        "id",
        "account_id",
        "program",
        "starts_on",
        "ends_on",
        "verified_by",
    ],
    "accounts_journalentry": [
        "id",
        "kind",
        "effective_on",
        "due_on",
        "description",
        "account_id",
        "reverses_id",
        "source_key",
        "created_by_id",
        "posted_at",
    ],
    "accounts_journalleg": [
        "id",
        "entry_id",
        "gl_account_id",
        "account_id",
        "service_agreement_id",
        "amount",
    ],
    "accounts_contact": [
        "id",
        "account_id",
        "person_id",
        "channel",
        "topic",
        "notes",
        "follow_up_on",
        "created_by_id",
        "created_at",
    ],
    "accounts_accountnote": ["id", "account_id", "text", "pinned", "created_by_id", "created_at"],
    "accounts_accountflag": [
        "id",
        "account_id",
        "kind",
        "starts_on",
        "ends_on",
        "reason",
        "set_by_id",
        "created_at",
    ],
    "billing_bill": [
        "id",
        "account_id",
        "run_id",
        "period_start",
        "period_end",
        "bill_on",
        "due_on",
        "previous_balance",
        "payments",
        "other_charges",
        "current_charges",
        "amount_due",
        "estimated",
        "status",
        "entry_id",
        "rebill_of_id",
        "messages",
        "created_at",
    ],
    "billing_billsegment": [
        "id",
        "bill_id",
        "service_agreement_id",
        "utility",
        "rate_schedule",
        "start",
        "end",
        "usage",
        "unit",
        "start_read",
        "end_read",
        "estimated",
        "total",
    ],
}
TABLES = list(COLUMNS)


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
        self.prices: dict[BillInput, tuple[Decimal, Decimal]] = {}
        self.stdout = stdout
        self.gl = {
            (gl.purpose, gl.utility, gl.rate_schedule): gl.pk
            for gl in GLAccount.objects.filter(active=True)
        }
        self.now = timezone.now()

    # --- GL lookups -------------------------------------------------------
    def gl_id(self, purpose: str, utility: str = "", schedule: str = "") -> int:
        for key in ((purpose, utility, schedule), (purpose, utility, ""), (purpose, "", "")):
            if key in self.gl:
                return self.gl[key]
        raise LookupError(f"no GL account for {purpose} {utility} {schedule}")

    # --- loading ----------------------------------------------------------
    def build(self, start: int, stop: int, batch: int = 5000) -> int:
        created = 0
        with transaction.atomic(), bulk_load(TABLES):
            first_entry = None
            for low in range(start, stop, batch):
                high = min(stop, low + batch)
                entry_start = self._load_batch(low, high)
                first_entry = first_entry or entry_start
                created += high - low
                if self.stdout:
                    self.stdout.write(f"  accounts {high:,} of {stop:,}")
            self._check_ledger(first_entry)
        return created

    def _load_batch(self, low: int, high: int) -> int:
        ids = Ids({table: first_free_id(table) for table in TABLES})
        first_entry = ids.next["accounts_journalentry"]
        numbers = self._account_numbers(high - low)
        rows = Rows()
        for offset, index in enumerate(range(low, high)):
            self._account(index, numbers[offset], ids, rows)
        for table in TABLES:
            if rows.tables.get(table):
                copy_rows(table, COLUMNS[table], rows.tables[table])
            advance_sequence(table, ids.next[table] - 1)
        return first_entry

    def _account_numbers(self, count: int) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval('accounts_account_number_seq') FROM generate_series(1, %s)", [count]
            )
            payloads = [f"{value:09d}" for (value,) in cursor.fetchall()]
        return [p + luhn_check_digit(p) for p in payloads]

    def _check_ledger(self, first_entry: int | None) -> None:
        """What the disabled ledger triggers would have checked, set-wise."""
        if first_entry is None:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT e.id FROM accounts_journalentry e
                     LEFT JOIN accounts_journalleg l ON l.entry_id = e.id
                    WHERE e.id >= %s
                 GROUP BY e.id HAVING count(l.id) < 2 OR coalesce(sum(l.amount), 0) <> 0
                    LIMIT 5""",
                [first_entry],
            )
            bad = [row[0] for row in cursor.fetchall()]
        if bad:
            raise RuntimeError(f"seed produced unbalanced journal entries: {bad}")

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
        premise_id = ids.take("accounts_premise")
        line = " ".join(p for p in (str(house), direction, street, street_type) if p)
        if unit:
            line += f" Unit {unit}"
        parcel = f"{100 + index // 90000:03d}-{10 + (index // 1000) % 90:02d}-{index % 1000:03d}"
        rows.add(
            "accounts_premise",
            (
                premise_id,
                str(house),
                direction,
                street,
                street_type,
                unit,
                "Mesa",
                zip_code,
                parcel,
                normalize_address(line),
                AREA_BY_ZIP.get(zip_code, "Central"),
            ),
        )

        # People
        person_id = ids.take("accounts_person")
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
            "accounts_person",
            (
                person_id,
                "" if commercial else first,
                "" if commercial else last,
                business,
                phone,
                "",
                email,
                line if rng.random() < 0.9 else f"PO Box {rng.randint(100, 9999)}",
                "",
                "Mesa",
                "AZ",
                zip_code,
                "es" if rng.random() < 0.08 else "en",
                rng.choice(("ssn", "dl", "state_id")) if not commercial else "ein",
                f"{rng.randint(0, 9999):04d}",
                self.now,
            ),
        )
        account_id = ids.take("accounts_account")
        final_at = None
        if rng.random() < 0.02 and months > 3:
            final_at = rng.randint(2, months - 1)
        status = "final" if final_at else "active"
        rows.add(
            "accounts_account",
            (
                account_id,
                number,
                "utility",
                "commercial" if commercial else "residential",
                status,
                display,
                cycle,
                opened_on,
                None,
            ),
        )
        rows.add(
            "accounts_accountperson",
            (ids.take("accounts_accountperson"), account_id, person_id, "main", opened_on, None),
        )
        if not commercial and rng.random() < 0.12:
            co_id = ids.take("accounts_person")
            co_first = rng.choice(names.FIRST_NAMES)
            rows.add(
                "accounts_person",
                (co_id, co_first, last, "", "", "", "", "", "", "", "", "", "en", "", "", self.now),
            )
            rows.add(
                "accounts_accountperson",
                (
                    ids.take("accounts_accountperson"),
                    account_id,
                    co_id,
                    "co_applicant",
                    opened_on,
                    None,
                ),
            )

        services = self._services(rng, commercial, zip_code, house, direction)
        ends_on = reads[final_at] if final_at else None
        sa_status = "active"
        if final_at:
            # Closed once the final bill is out; still "final" while it is to come.
            billed = self.unbilled_from is None or bill_date(reads[final_at]) < self.unbilled_from
            sa_status = "closed" if billed else "final"
        for service in services:
            service.sa_id = ids.take("accounts_serviceagreement")
            if service.utility in ("electric", "gas", "water"):
                service.point_id = ids.take("accounts_servicepoint")
                rows.add(
                    "accounts_servicepoint",
                    (
                        service.point_id,
                        premise_id,
                        service.utility,
                        rng.choice(("front yard", "left side", "right side", "alley")),
                    ),
                )
                meter_id = ids.take("accounts_meter")
                prefix = {"electric": "E", "gas": "G", "water": "W"}[service.utility]
                service.dials = {"electric": 5, "gas": 4, "water": 6}[service.utility]
                rows.add(
                    "accounts_meter",
                    (
                        meter_id,
                        f"{prefix}{index + 1:08d}",
                        service.utility,
                        service.meter_size or "",
                        service.dials,
                        Decimal("1"),
                        "installed",
                    ),
                )
                service.installation_id = ids.take("accounts_meterinstallation")
                service.register = rng.randint(0, 10 ** (service.dials - 1))
                rows.add(
                    "accounts_meterinstallation",
                    (
                        service.installation_id,
                        meter_id,
                        service.point_id,
                        opened_on,
                        None,
                        Decimal(service.register),
                        None,
                    ),
                )
            rows.add(
                "accounts_serviceagreement",
                (
                    service.sa_id,
                    account_id,
                    premise_id,
                    service.point_id,
                    service.utility,
                    service.schedule,
                    opened_on,
                    ends_on,
                    sa_status,
                    service.containers,
                    service.service_code,
                    service.acres,
                ),
            )

        programs = set()
        if not commercial and rng.random() < 0.04:
            programs.add("LISR")
        if any(s.utility == "electric" for s in services) and not commercial and rng.random() < 0.1:
            programs.add("SEA")
        for program in sorted(programs):
            rows.add(
                "accounts_programenrolment",
                (
                    ids.take("accounts_programenrolment"),
                    account_id,
                    program,
                    reads[0],
                    reads[0] + timedelta(days=365 * 5) if program == "LISR" else None,
                    "demo data",
                ),
            )

        self._history(
            rng,
            account_id,
            number,
            services,
            reads,
            final_at,
            frozenset(programs),
            commercial,
            opened_on,
            ids,
            rows,
        )
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
        summer = month in (5, 6, 7, 8, 9, 10)
        if service.utility == "water":
            typical = (14 if summer else 8) * service.base
            return Decimal(max(0, round(rng.gauss(typical, typical * 0.15))))
        if service.utility == "electric":
            typical = (1250 if summer else 620) * service.base
            return Decimal(max(0, round(rng.gauss(typical, typical * 0.12))))
        if service.utility == "gas":
            typical = (14 if summer else 48) * service.base
            return Decimal(max(0, round(rng.gauss(typical, typical * 0.15))))
        return Decimal(0)

    def _price(self, bill: BillInput) -> tuple[Decimal, Decimal]:
        cached = self.prices.get(bill)
        if cached is None:
            calc = calculate(self.book, self._within_book(bill))
            tax = sum((ln.amount for ln in calc.lines if ln.kind == "tax"), ZERO)
            cached = (calc.total - tax, tax)
            self.prices[bill] = cached
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
        self,
        rng,
        account_id,
        number,
        services,
        reads,
        final_at,
        programs,
        commercial,
        opened_on,
        ids,
        rows,
    ) -> None:
        behaviour = rng.choices(
            ("ontime", "autopay", "late", "delinquent"), weights=(76, 12, 9, 3)
        )[0]
        open_items: deque[list] = deque()  # [gl_id, sa_id, amount, due_on]
        receivable_general = self.gl_id("receivable")
        deposits = self.gl_id("deposits")
        cash = self.gl_id("cash")
        tax_gl = self.gl_id("tax")
        events: list[tuple[date, int, str, dict]] = []
        water_by_month: dict[tuple[int, int], Decimal] = {}
        last_period = final_at if final_at else len(reads) - 1

        state = {"balance": ZERO, "payments": ZERO, "other": ZERO}

        def post(kind, on, description, legs, due_on=None):
            entry_id = ids.take("accounts_journalentry")
            change = sum(
                (leg[2] for leg in legs if leg[3] == account_id and leg[0] != deposits), ZERO
            )
            state["balance"] += change
            if kind == JournalEntry.Kind.PAYMENT:
                state["payments"] += change
            elif kind != JournalEntry.Kind.BILL:
                state["other"] += change
            rows.add(
                "accounts_journalentry",
                (entry_id, kind, on, due_on, description, account_id, None, None, None, self.now),
            )
            for gl_id, sa_id, amount, leg_account in legs:
                rows.add(
                    "accounts_journalleg",
                    (ids.take("accounts_journalleg"), entry_id, gl_id, leg_account, sa_id, amount),
                )
            return entry_id

        if opened_on == reads[0] and not commercial:
            post(
                JournalEntry.Kind.DEPOSIT,
                opened_on,
                "Residential deposit",
                [
                    (cash, None, Decimal("50.00"), None),
                    (deposits, None, Decimal("-50.00"), account_id),
                ],
            )

        def pay(on, amount, description):
            legs, remaining = [], amount
            while remaining > ZERO and open_items:
                item = open_items[0]
                applied = min(item[2], remaining)
                legs.append((item[0], item[1], -applied, account_id))
                remaining -= applied
                item[2] -= applied
                if item[2] == ZERO:
                    open_items.popleft()
            if remaining > ZERO:
                legs.append((receivable_general, None, -remaining, account_id))
            post(JournalEntry.Kind.PAYMENT, on, description, [(cash, None, amount, None), *legs])

        def balance():
            return sum((item[2] for item in open_items), ZERO)

        for k in range(1, last_period + 1):
            start, end = reads[k - 1], reads[k]
            bill_on = bill_date(end)
            due_on = bill_on + timedelta(days=DUE_DAYS)
            unbilled = self.unbilled_from is not None and bill_on >= self.unbilled_from
            legs, tax_total, segments = [], ZERO, []
            for service in services:
                usage = self._usage(rng, service, end.month, commercial)
                start_read = end_read = None
                if service.installation_id is not None:
                    start_read = Decimal(service.register)
                    register_usage = usage
                    if service.utility == "gas":
                        register_usage = Decimal(round(usage / GAS_THERMS_PER_CCF))
                    service.register = (service.register + int(register_usage)) % 10**service.dials
                    end_read = Decimal(service.register)
                    rows.add(
                        "accounts_meterread",
                        (
                            ids.take("accounts_meterread"),
                            service.installation_id,
                            end,
                            Decimal(service.register),
                            "final" if final_at == k else "actual",
                            "accepted",
                            "handheld",
                            self.now,
                        ),
                    )
                if service.utility == "water":
                    water_by_month[(end.year, end.month)] = usage
                if service.utility == "wastewater":
                    usage = water_by_month.get((end.year, end.month), ZERO)
                if unbilled:
                    continue
                bill = BillInput(
                    schedule=service.schedule,
                    start=start,
                    end=end,
                    usage=usage,
                    meter_size=service.meter_size,
                    quantity=service.containers or 1,
                    service=service.service_code or None,
                    acres=service.acres,
                    winter_average=_winter_average(water_by_month, end)
                    if service.schedule == "S1.1"
                    else None,
                    programs=programs,
                )
                charge, tax = self._price(bill)
                total = charge + tax
                unit = self.book.schedules[service.schedule].unit
                segments.append(
                    (
                        service.sa_id,
                        service.utility,
                        service.schedule,
                        start,
                        end,
                        usage,
                        unit,
                        start_read,
                        end_read,
                        total,
                    )
                )
                if total == ZERO:
                    continue
                gl_recv = self.gl_id("receivable", service.utility)
                legs.append((gl_recv, service.sa_id, total, account_id))
                legs.append(
                    (self.gl_id("revenue", service.utility, service.schedule), None, -charge, None)
                )
                tax_total += tax
                open_items.append([gl_recv, service.sa_id, total, due_on])
            if tax_total:
                legs.append((tax_gl, None, -tax_total, None))
            if unbilled:
                break
            label = "Final bill" if final_at == k else "Bill"
            current = sum((leg[2] for leg in legs if leg[3] == account_id), ZERO)
            entry_id = post(
                JournalEntry.Kind.BILL,
                bill_on,
                f"{label} {start:%m/%d/%Y}–{end:%m/%d/%Y}",
                legs,
                due_on=due_on,
            )
            bill_id = ids.take("billing_bill")
            amount_due = state["balance"]
            rows.add(
                "billing_bill",
                (
                    bill_id,
                    account_id,
                    None,
                    start,
                    end,
                    bill_on,
                    due_on,
                    amount_due - current - state["payments"] - state["other"],
                    state["payments"],
                    state["other"],
                    current,
                    amount_due,
                    False,
                    "issued",
                    entry_id,
                    None,
                    "",
                    self.now,
                ),
            )
            state["payments"] = state["other"] = ZERO
            for seg in segments:
                rows.add(
                    "billing_billsegment",
                    (ids.take("billing_billsegment"), bill_id, *seg[:-1], False, seg[-1]),
                )
            self._payments_for(rng, behaviour, bill_on, due_on, events, final_at == k)

            # Everything up to the next bill happens in date order.
            next_bill = (
                bill_date(reads[k + 1]) if k + 1 < len(reads) else self.as_of + timedelta(days=1)
            )
            late_day = due_on + timedelta(days=1)
            pending = [e for e in events if e[0] < next_bill and e[0] <= self.as_of]
            events[:] = [e for e in events if not (e[0] < next_bill and e[0] <= self.as_of)]
            fee_done = False
            timeline = sorted([*pending, (late_day, 1, "late", {})], key=lambda e: (e[0], e[1]))
            for on, _, kind, data in timeline:
                if kind == "late":
                    if fee_done or late_day > self.as_of or late_day >= next_bill:
                        continue
                    fee_done = True
                    past_due = sum((i[2] for i in open_items if i[3] <= due_on), ZERO)
                    if past_due >= LATE_FEE_MINIMUM_PAST_DUE:
                        fee = to_money(max(past_due * LATE_FEE_PERCENT, LATE_FEE_FLOOR))
                        tax = to_money(fee * SALES_TAX)
                        post(
                            JournalEntry.Kind.LATE_FEE,
                            late_day,
                            "Late fee",
                            [
                                (receivable_general, None, fee + tax, account_id),
                                (self.gl_id("fees"), None, -fee, None),
                                (tax_gl, None, -tax, None),
                            ],
                            due_on=late_day,
                        )
                        open_items.append([receivable_general, None, fee + tax, late_day])
                    continue
                owed = balance()
                if owed <= ZERO:
                    continue
                amount = owed if data.get("full") else to_money(owed * Decimal(data["share"]))
                if amount > ZERO:
                    pay(on, amount, data["label"])

    def _payments_for(self, rng, behaviour, bill_on, due_on, events, final) -> None:
        if behaviour == "autopay":
            events.append((due_on, 0, "pay", {"full": True, "label": "ACH autopay"}))
        elif behaviour == "ontime":
            on = bill_on + timedelta(days=rng.randint(4, 20))
            channel = rng.choice(
                ("Online payment", "Lockbox check", "Kiosk payment", "Counter payment")
            )
            events.append((on, 0, "pay", {"full": True, "label": channel}))
        elif behaviour == "late":
            on = due_on + timedelta(days=rng.randint(3, 28))
            events.append((on, 0, "pay", {"full": True, "label": "Online payment"}))
        elif rng.random() < (0.35 if final else 0.55):
            on = due_on + timedelta(days=rng.randint(5, 35))
            share = f"{rng.uniform(0.3, 0.8):.2f}"
            events.append((on, 0, "pay", {"share": share, "label": "Counter payment"}))

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
                "accounts_contact",
                (
                    ids.take("accounts_contact"),
                    account_id,
                    person_id,
                    rng.choice(("call", "call", "call", "walk_in", "email")),
                    topic,
                    note,
                    None,
                    None,
                    timezone.make_aware(
                        datetime.combine(day, datetime.min.time()).replace(hour=10)
                    ),
                ),
            )
        if rng.random() < 0.03:
            rows.add(
                "accounts_accountnote",
                (
                    ids.take("accounts_accountnote"),
                    account_id,
                    rng.choice(
                        (
                            "Dog in yard: call before entering.",
                            "Gate code 4417.",
                            "Meter behind locked gate; key at office.",
                        )
                    ),
                    True,
                    None,
                    self.now,
                ),
            )


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _winter_average(water_by_month: dict, end: date) -> Decimal | None:
    """Mean water usage of the bills ending in Dec, Jan and Feb of the most
    recent winter before ``end`` (docs/pricing.md); None until there is one."""
    year = end.year if end.month > 2 else end.year - 1
    winter = [(year - 1, 12), (year, 1), (year, 2)]
    usages = [water_by_month[m] for m in winter if m in water_by_month]
    if not usages:
        return None
    return (sum(usages, ZERO) / len(usages)).quantize(Decimal("0.01"))

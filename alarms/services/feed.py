"""The Police Department's alarm dispatch feed (CAD export), exactly as
../shared/domain/interchange_formats.md ("Alarm dispatch feed") says: each
incident matched to a permit by number or by normalised address, false
alarms counted per permit (or per address) over the 365 days ending on the
incident's date, fees assessed and invoiced, and the 10th burglary false
alarm suspending the permit. docs/alarms.md says the rest."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from alarms.models import (
    AlarmFile,
    AlarmInvoice,
    AlarmPermit,
    AlarmType,
    Assessment,
    Incident,
    Suspension,
)
from alarms.rules import fees
from alarms.services.files import file_keep
from alarms.services.invoices import InvoiceSpec, invoices_post_many
from mesa_cs.lib.address import normalize_address
from mesa_cs.lib.copy import copy_rows
from mesa_cs.lib.dates import today
from mesa_cs.lib.imports import csv_rows_read, file_text
from mesa_cs.lib.luhn import looks_like_card_number
from mesa_cs.lib.money import ZERO
from staffing.models import Section, WorkItem
from staffing.services import work_items_open_many

PHOENIX = ZoneInfo("America/Phoenix")
HEADER = ["incident_number", "reported_at", "address", "alarm_type", "disposition", "permit_number"]
INCIDENT_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,29}")
PERMIT_NUMBER = re.compile(r"AP-[0-9]{6}")
DISPOSITIONS = ("false", "valid", "cancelled")
RESEARCH_KIND = "alarm_research"
# One feed import at a time: counts depend on every earlier incident.
FEED_LOCK = 7_140_001


@dataclass
class FeedRow:
    line: int
    incident_number: str
    reported_at: datetime
    address: str
    alarm_type: str
    disposition: str
    permit_number: str

    @property
    def reported_on(self) -> date:
        return self.reported_at.astimezone(PHOENIX).date()


@dataclass(slots=True)
class NewIncident:
    """An incident as the feed writes it: a feed makes tens of thousands,
    and a model instance each cost more than COPYing them (bench.alarms)."""

    incident_number: str
    reported_at: datetime
    reported_on: date
    address: str
    address_key: str
    alarm_type: str
    disposition: str
    permit_number_given: str
    permit_id: int | None
    matched_by: str
    alarm_class: str
    chargeable: bool
    count_key: str
    research: str
    file_id: int
    line: int
    count_in_window: int | None = None
    pk: int | None = None


INCIDENT_COLUMNS = (
    "incident_number", "reported_at", "reported_on", "address", "address_key", "alarm_type",
    "disposition", "permit_number_given", "permit_id", "matched_by", "alarm_class",
    "chargeable", "count_key", "research", "file_id", "line", "count_in_window",
)  # fmt: skip


def _row(line: int, fields: list[str], now: datetime) -> FeedRow:
    """One data line as a FeedRow, or a ValueError saying what is wrong."""
    if len(fields) != len(HEADER):
        raise ValueError(f"expected {len(HEADER)} fields, found {len(fields)}")
    number, reported, address, alarm_type, disposition, permit = (f.strip() for f in fields)
    if not INCIDENT_NUMBER.fullmatch(number):
        raise ValueError(
            f"incident_number {number[:40]!r} is not 1 to 30 letters, digits and hyphens"
        )
    try:
        reported_at = datetime.fromisoformat(reported)
    except ValueError:
        raise ValueError(
            f"reported_at {reported[:40]!r} is not an ISO 8601 date-time (e.g. 2026-03-05T14:22:00)"
        ) from None
    if timezone.is_naive(reported_at):
        reported_at = reported_at.replace(tzinfo=PHOENIX)
    if reported_at > now:
        raise ValueError(f"reported_at {reported} is in the future")
    if not address:
        raise ValueError("address is empty")
    if len(address) > 120:
        raise ValueError("address is longer than 120 characters")
    if looks_like_card_number(address):
        raise ValueError("address looks like a card number; card numbers are never stored")
    if alarm_type.lower() not in fees.FUNCTIONS:
        raise ValueError(f"alarm_type {alarm_type[:20]!r} is not burglary, panic or robbery")
    if disposition.lower() not in DISPOSITIONS:
        raise ValueError(f"disposition {disposition[:20]!r} is not false, valid or cancelled")
    permit = permit.upper()
    if permit and not PERMIT_NUMBER.fullmatch(permit):
        raise ValueError(f"permit_number {permit[:20]!r} is not like AP-000042")
    return FeedRow(
        line, number, reported_at, " ".join(address.split()), alarm_type.lower(),
        disposition.lower(), permit,
    )  # fmt: skip


def feed_parse(text: str) -> tuple[list[FeedRow], list[dict]]:
    """The rows that can be read and a line-numbered error for each that
    cannot; a file without the header row gives no rows at all."""
    now = timezone.now()
    return csv_rows_read(text, HEADER, lambda line, fields: _row(line, fields, now))


class _Counts:
    """Chargeable incidents per count key and class, in time order, so the
    n-th in a window is found by bisection. Loaded with the earlier imports'
    incidents, so counts carry from one file to the next."""

    def __init__(self):
        self.groups: dict[tuple[str, str], list[tuple[datetime, str]]] = defaultdict(list)

    def load(self, keys: set[str], start: date, end: date) -> None:
        earlier = Incident.objects.filter(
            chargeable=True, count_key__any=list(keys), reported_on__gte=start, reported_on__lte=end
        ).values_list("count_key", "alarm_class", "reported_at", "incident_number")
        for key, klass, reported_at, number in earlier:
            self.groups[(key, klass)].append((reported_at, number))
        for group in self.groups.values():
            group.sort()

    def add(self, key: str, klass: str, reported_at: datetime, number: str, on: date) -> int:
        """Place the incident and return its count in the window ending on ``on``."""
        group = self.groups[(key, klass)]
        bisect.insort(group, (reported_at, number))
        position = bisect.bisect_right(group, (reported_at, number))
        start = datetime.combine(fees.window_start(on), datetime.min.time(), tzinfo=PHOENIX)
        first = bisect.bisect_left(group, (start, ""))
        return position - first


def _permits_for(rows: list[FeedRow], keys: set[str]):
    numbers = {row.permit_number for row in rows if row.permit_number}
    by_number, by_key = {}, defaultdict(list)
    # What matching, counting and billing read of a permit, and no more.
    wanted = ("id", "number", "address_key", "status", "issued_on", "expires_on", "account_id")
    permits = AlarmPermit.objects.filter(
        Q(number__any=list(numbers)) | Q(address_key__any=list(keys))
    ).only(*wanted)
    for permit in permits.order_by("-issued_on", "-pk"):
        if permit.number in numbers:
            by_number[permit.number] = permit
        if permit.address_key in keys:
            by_key[permit.address_key].append(permit)
    return by_number, by_key


def _match(row: FeedRow, key: str, by_number, by_key) -> tuple[AlarmPermit | None, str]:
    permit = by_number.get(row.permit_number) if row.permit_number else None
    if permit is not None:
        return permit, Incident.MatchedBy.PERMIT_NUMBER
    candidates = by_key.get(key, [])
    if not candidates:
        return None, Incident.MatchedBy.NONE
    active = [p for p in candidates if p.active_on(row.reported_on)]
    return (active or candidates)[0], Incident.MatchedBy.ADDRESS


def false_alarm_description(incident: Incident | NewIncident, count: int, no_permit: bool) -> str:
    text = (
        # The label by the enum: get_alarm_type_display costs more per call,
        # and a feed describes tens of thousands.
        f"False alarm ({AlarmType(incident.alarm_type).label.lower()}) {incident.incident_number} "
        f"on {incident.reported_on:%m/%d/%Y}, {fees.ordinal(count)} in 365 days"
    )
    return text + (", no active permit" if no_permit else "")


@transaction.atomic
def feed_import(*, content: bytes, filename: str, by=None) -> tuple[dict, AlarmFile]:
    """Import one dispatch feed and return its summary (the JSON of
    interchange_formats.md) and the kept file. Safe to run twice: an
    incident number seen before is skipped and reported."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK])
    text, refusal = file_text(content)
    kept = file_keep(kind=AlarmFile.Kind.FEED, content=content, filename=filename, by=by)
    summary = _empty_summary()
    rows, errors = ([], [{"line": 1, "reason": refusal}]) if refusal else feed_parse(text)
    summary["errors"] = errors
    seen = set(
        Incident.objects.filter(
            incident_number__any=[row.incident_number for row in rows]
        ).values_list("incident_number", flat=True)
    )
    new = []
    for row in rows:
        if row.incident_number in seen:
            summary["incidents"]["duplicates"] += 1
        else:
            seen.add(row.incident_number)
            new.append(row)
    refused = not rows and errors and errors[0]["line"] == 1  # no header: nothing read
    summary["incidents"].update(
        read=0 if refused else len(rows) + len(errors), new=len(new), errors=len(errors)
    )
    if new:
        _import_rows(new, kept, summary, by)
    kept.summary = summary
    kept.save(update_fields=["summary"])
    if new:
        from alarms.tasks import alarm_file_letters

        alarm_file_letters.delay_on_commit(kept.pk)
    return summary, kept


def _empty_summary() -> dict:
    return {
        "incidents": {"read": 0, "new": 0, "duplicates": 0, "errors": 0},
        "assessments": [],
        "total_assessed": "0.00",
        "suspensions": [],
        "errors": [],
    }


def _import_rows(new: list[FeedRow], kept: AlarmFile, summary: dict, by) -> None:
    new.sort(key=lambda row: (row.reported_at, row.incident_number))
    keys = [normalize_address(row.address) for row in new]
    by_number, by_key = _permits_for(new, set(keys))
    incidents, matches = [], []
    for row, key in zip(new, keys, strict=True):
        permit, matched_by = _match(row, key, by_number, by_key)
        chargeable = fees.is_false_alarm(row.alarm_type, row.disposition)
        incidents.append(
            NewIncident(
                incident_number=row.incident_number,
                reported_at=row.reported_at,
                reported_on=row.reported_on,
                address=row.address,
                address_key=key,
                alarm_type=row.alarm_type,
                disposition=row.disposition,
                permit_number_given=row.permit_number,
                permit_id=permit.pk if permit else None,
                matched_by=matched_by,
                alarm_class=fees.alarm_class(row.alarm_type),
                chargeable=chargeable,
                count_key=f"p{permit.pk}" if permit else f"a{key}",
                research=Incident.Research.OPEN if permit is None else "",
                file_id=kept.pk,
                line=row.line,
            )
        )
        matches.append(permit)
    counts = _Counts()
    charged = [i for i in incidents if i.chargeable]
    if charged:
        counts.load(
            {i.count_key for i in charged},
            fees.window_start(charged[0].reported_on),
            charged[-1].reported_on,
        )
    suspend: dict[int, NewIncident] = {}
    for incident, permit in zip(incidents, matches, strict=True):
        if not incident.chargeable:
            continue
        incident.count_in_window = counts.add(
            incident.count_key,
            incident.alarm_class,
            incident.reported_at,
            incident.incident_number,
            incident.reported_on,
        )
        if (
            permit is not None
            and incident.alarm_class == fees.BURGLARY
            and incident.count_in_window >= fees.SUSPEND_AT_BURGLARY
            and permit.active_on(incident.reported_on)
            and permit.pk not in suspend
        ):
            suspend[permit.pk] = incident
    get = attrgetter(*INCIDENT_COLUMNS)
    for incident, pk in zip(
        incidents, copy_rows(Incident, INCIDENT_COLUMNS, map(get, incidents)), strict=True
    ):
        incident.pk = pk
    # The audited rows (work items, suspensions: pghistory's trigger opens a
    # subtransaction for each) go in before the ledger's entries and legs:
    # after them, with a deferred balance check queued for every entry and
    # leg, they were ten times slower (bench/README.md, bench.alarms).
    _research_items(incidents)
    summary["suspensions"] = _suspend(suspend)
    issued_on = today()
    specs, assessments_for = [], {}
    for incident, permit in zip(incidents, matches, strict=True):
        if not incident.chargeable:
            continue
        active = permit is not None and permit.active_on(incident.reported_on)
        count = incident.count_in_window
        # (fee type, amount) of each assessment; the rows are written below.
        rows = [(Assessment.FeeType.FALSE_ALARM, fees.false_alarm_fee(incident.alarm_class, count))]
        if not active:
            rows.append((Assessment.FeeType.NO_PERMIT, fees.NO_PERMIT_FEE))
        assessments_for[incident.incident_number] = rows
        for fee_type, amount in rows:
            summary["assessments"].append(
                {
                    "incident_number": incident.incident_number,
                    "permit_number": permit.number if active else None,
                    "fee_type": fee_type,
                    "alarm_class": incident.alarm_class,
                    "count_in_window": count,
                    "amount": f"{amount:.2f}",
                }
            )
        if permit is not None:
            specs.append(
                InvoiceSpec(
                    kind=AlarmInvoice.Kind.FALSE_ALARM,
                    account_id=permit.account_id,
                    permit_id=permit.pk,
                    incident_id=incident.pk,
                    issued_on=issued_on,
                    amount=sum((amount for _, amount in rows), ZERO),
                    description=false_alarm_description(
                        incident, incident.count_in_window, not active
                    ),
                    source_key=f"false_alarm:{incident.incident_number}",
                    file_id=kept.pk,
                )
            )
    invoice_for = {spec.incident_id: pk for spec, pk in invoices_post_many(specs, created_by=by)}
    assessments = []
    for incident in incidents:
        invoice_id = invoice_for.get(incident.pk)
        status = Assessment.Status.BILLED if invoice_id else Assessment.Status.RESEARCH
        for fee_type, amount in assessments_for.get(incident.incident_number, ()):
            assessments.append(
                (
                    incident.pk, fee_type, incident.alarm_class, incident.count_in_window,
                    amount, invoice_id, status,
                )
            )  # fmt: skip
    copy_rows(
        Assessment,
        ("incident_id", "fee_type", "alarm_class", "count_in_window", "amount", "invoice_id",
         "status"),
        assessments,
    )  # fmt: skip
    total = sum((row[4] for row in assessments), Decimal("0.00"))
    summary["total_assessed"] = f"{total:.2f}"


def _research_items(incidents: list[NewIncident]) -> None:
    """Each incident no permit and no address matched goes to the Alarm
    Unit's research list (its queue)."""
    work_items_open_many(
        [
            WorkItem(
                kind=RESEARCH_KIND,
                section=Section.ACCOUNT_MAINTENANCE,
                title=f"Alarm incident {i.incident_number} at {i.address}: find the holder",
                details=(
                    f"No permit matches {i.address} or permit number "
                    f"{i.permit_number_given or '(none given)'}. "
                    + ("Its false-alarm fees wait for the holder." if i.chargeable else "")
                ).strip(),
                source_key=i.incident_number,
                due_on=i.reported_on,
            )
            for i in incidents
            if i.research == Incident.Research.OPEN
        ]
    )


def _suspend(suspend: dict[int, NewIncident]) -> list[dict]:
    """The permits suspended, in the order of the incidents that did it;
    their letters go with the file's notices, after the commit."""
    from alarms.services.suspensions import permits_suspend

    made = permits_suspend(
        {permit_id: incident.pk for permit_id, incident in suspend.items()},
        reason=Suspension.Reason.BURGLARY_COUNT,
        on=today(),
    )
    number = {suspension.permit_id: suspension.permit.number for suspension in made}
    return [
        {
            "permit_number": number[permit_id],
            "incident_number": incident.incident_number,
            "reason": Suspension.Reason.BURGLARY_COUNT,
            "count_in_window": incident.count_in_window,
        }
        for permit_id, incident in suspend.items()
        if permit_id in number
    ]

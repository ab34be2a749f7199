"""Computing and issuing bills (docs/billing.md, "Usage from reads" and "Bills";
docs/pricing.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum

from accounts.models import (
    Account,
    GLAccount,
    JournalEntry,
    JournalLeg,
    MeterInstallation,
    MeterRead,
    ServiceAgreement,
    Utility,
)
from accounts.services import Charge, EntrySpec, GLChart, charge_legs, entries_post_many
from accounts.services.meters import MeterReadSpec, meter_reads_add_many
from accounts.services.meters import register_usage as meter_register_usage
from billing.models import Bill, BillLine, BillSegment, RateVersion
from billing.rules.engine import BillInput, Calculation, RateError, calculate, whole_units
from billing.rules.ratebook import RateBook
from billing.services.billing_data import BillingData
from mesa_cs.lib.money import ZERO, to_money

CENT = Decimal("0.01")


class BillingException(Exception):
    """An account that cannot be billed now; the message says why, for a person."""


@dataclass
class SegmentDraft:
    agreement: ServiceAgreement
    start: date
    end: date
    usage: Decimal
    unit: str
    calculation: Calculation
    start_read: Decimal | None = None
    end_read: Decimal | None = None
    estimated: bool = False
    estimate_read: tuple[MeterInstallation, Decimal] | None = None
    meter_size: str | None = None

    @property
    def tax(self) -> Decimal:
        return sum((ln.amount for ln in self.calculation.lines if ln.kind == "tax"), ZERO)

    @property
    def total(self) -> Decimal:
        return self.calculation.total


@dataclass
class BillDraft:
    account: Account
    period_start: date
    period_end: date
    segments: list[SegmentDraft] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((s.total for s in self.segments), ZERO)

    @property
    def estimated(self) -> bool:
        return any(s.estimated for s in self.segments)


def due_date(bill_on: date) -> date:
    return bill_on + timedelta(days=settings.BILL_DUE_DAYS)


def bill_compute(
    account: Account, period_end: date, book: RateBook, data: BillingData | None = None
) -> BillDraft:
    """Price one account's period, one segment per service agreement."""
    data = data or BillingData.for_account(account, period_end)
    start = data.previous_end(account)
    draft = BillDraft(account=account, period_start=start, period_end=period_end)
    agreements = data.agreements_for(account, start, period_end)
    if not agreements:
        raise BillingException("no service to bill in this period")
    programs = data.programs(account.pk, period_end)
    water_usage: dict[int, Decimal] = {}
    # Water first: residential wastewater is billed on the water usage.
    agreements.sort(key=lambda sa: sa.utility != Utility.WATER)
    for sa in agreements:
        seg_start = max(start, sa.starts_on - timedelta(days=1))
        seg_end = min(period_end, sa.ends_on) if sa.ends_on else period_end
        if seg_end <= seg_start:
            continue
        usage, reads = ZERO, {}
        if sa.utility in Utility.metered():
            usage, reads = _metered_usage(sa, seg_start, seg_end, data)
            if sa.utility == Utility.GAS:
                usage = therms_from_ccf(usage, seg_end, data)
            if sa.utility == Utility.WATER:
                water_usage[sa.premise_id] = usage
        elif sa.utility == Utility.WASTEWATER:
            usage = water_usage.get(sa.premise_id, ZERO)
        bill = BillInput(
            schedule=sa.rate_schedule,
            start=seg_start,
            end=seg_end,
            usage=usage,
            meter_size=reads.get("meter_size"),
            quantity=sa.containers or 1,
            service=sa.service_code or None,
            acres=sa.acres,
            winter_average=data.winter_average(account.pk, period_end)
            if sa.utility == Utility.WASTEWATER
            else None,
            programs=programs,
        )
        try:
            calculation = calculate(book, bill)
        except RateError as exc:
            raise BillingException(f"{sa.get_utility_display()} {sa.rate_schedule}: {exc}") from exc
        schedule = book.schedules[sa.rate_schedule]
        draft.segments.append(
            SegmentDraft(
                agreement=sa,
                start=seg_start,
                end=seg_end,
                usage=usage,
                unit=schedule.unit,
                calculation=calculation,
                start_read=reads.get("start"),
                end_read=reads.get("end"),
                estimated=reads.get("estimated", False),
                estimate_read=reads.get("estimate_read"),
                meter_size=bill.meter_size,
            )
        )
    if not draft.segments:
        raise BillingException("no service days in this period")
    return draft


def register_usage(previous: Decimal, current: Decimal, dials: int) -> Decimal:
    """``accounts.services.meters.register_usage``, as a billing exception."""
    try:
        return meter_register_usage(previous, current, dials)
    except ValueError as exc:
        raise BillingException(str(exc)) from exc


def _metered_usage(
    sa: ServiceAgreement, start: date, end: date, data: BillingData
) -> tuple[Decimal, dict]:
    installation = data.installation(sa.service_point_id, end) if sa.service_point_id else None
    if installation is None:
        raise BillingException(f"{sa.get_utility_display()}: no meter installed on {end}")
    meter = installation.meter
    reads = data.reads_for(installation, start)
    if any(r.status == MeterRead.Status.EXCEPTION and start < r.read_on <= end for r in reads):
        raise BillingException(
            f"{sa.get_utility_display()} meter {meter.number}: a read is held for review"
        )
    accepted = [r for r in reads if r.status == MeterRead.Status.ACCEPTED]
    first = next((r for r in reversed(accepted) if r.read_on <= start), None)
    start_register = first.register if first else installation.install_read
    last = next((r for r in reversed(accepted) if start < r.read_on <= end), None)
    info = {"meter_size": meter.size or None, "start": start_register}
    if last is not None:
        usage = register_usage(start_register, last.register, meter.dials) * meter.multiplier
        info.update(end=last.register, estimated=last.kind == MeterRead.Kind.ESTIMATED)
        return usage, info
    # No usable read by the bill date: estimate from the last three periods.
    daily = _average_daily_usage(sa)
    if daily is None:
        raise BillingException(
            f"{sa.get_utility_display()} meter {meter.number}: no read for this period and no "
            "history to estimate from"
        )
    usage = whole_units(daily * (end - start).days)
    register = (start_register + usage / meter.multiplier) % (Decimal(10) ** meter.dials)
    info.update(end=register, estimated=True, estimate_read=(installation, register))
    return usage, info


def _average_daily_usage(sa: ServiceAgreement) -> Decimal | None:
    segments = list(
        BillSegment.objects.filter(service_agreement=sa, bill__status=Bill.Status.ISSUED)
        .order_by("-end")
        .values_list("start", "end", "usage")[:3]
    )
    if not segments:
        return None
    days = sum((end - start).days for start, end, _ in segments)
    return sum((usage for _, _, usage in segments), ZERO) / days if days else None


def therms_from_ccf(ccf: Decimal, on: date, data: BillingData) -> Decimal:
    """Gas usage in therms: the meter's CCF times the month's heat-content
    factor, to whole therms (docs/pricing.md)."""
    factor = data.heat_factor(on)
    if factor is None:
        raise BillingException(f"no gas heat-content factor recorded for {on:%B %Y}")
    return whole_units(ccf * factor)


@transaction.atomic
def bill_issue(
    *,
    account: Account,
    period_end: date,
    bill_on: date,
    book: RateBook,
    run=None,
    created_by=None,
    rebill_of: Bill | None = None,
) -> Bill:
    """Compute, post and record one bill. Issuing the same account and period
    again returns the bill already issued (a database unique constraint)."""
    existing = Bill.objects.filter(
        account=account, period_end=period_end, status=Bill.Status.ISSUED
    ).first()
    if existing is not None:
        return existing
    data = BillingData.for_account(account, period_end)
    draft = bill_compute(account, period_end, book, data)
    try:
        with transaction.atomic():
            return bills_write(
                [draft], data, bill_on, run, created_by=created_by, rebill_of=rebill_of
            )[0]
    except IntegrityError:
        existing = Bill.objects.filter(
            account=account, period_end=period_end, status=Bill.Status.ISSUED
        ).first()
        if existing is None:
            raise
        return existing


def bills_compute_chunk(
    accounts: list[Account], period_ends: dict[int, date], book: RateBook
) -> tuple[BillingData, list[BillDraft], list[int], dict[int, str]]:
    """Drafts for a chunk of a run, the accounts already billed for the period,
    and the ones that cannot be billed with the reason."""
    data = BillingData(accounts, period_ends)
    drafts, already, exceptions = [], [], {}
    for account in accounts:
        if data.already_billed(account.pk):
            already.append(account.pk)
            continue
        try:
            drafts.append(bill_compute(account, period_ends[account.pk], book, data))
        except BillingException as exc:
            exceptions[account.pk] = str(exc)
    return data, drafts, already, exceptions


def bills_write(
    drafts: list[BillDraft],
    data: BillingData,
    bill_on: date,
    run,
    created_by=None,
    rebill_of: Bill | None = None,
) -> list[Bill]:
    """Post and record many bills in a few statements. Raises IntegrityError
    if any of them is already billed (the caller falls back to one by one)."""
    if not drafts:
        return []
    chart = GLChart()
    due_on = due_date(bill_on)
    ids = [d.account.pk for d in drafts]
    receivable = list(
        GLAccount.objects.filter(purpose=GLAccount.Purpose.RECEIVABLE).values_list("pk", flat=True)
    )
    balances = dict(
        JournalLeg.objects.filter(
            account_id__in=ids, gl_account_id__in=receivable, entry__effective_on__lte=bill_on
        )
        .values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    since = _since_last_bill(ids, bill_on, receivable)
    specs = []
    for draft in drafts:
        charges = []
        for seg in draft.segments:
            sa = seg.agreement
            charges.append(Charge(seg.total - seg.tax, sa.utility, sa.rate_schedule, sa.pk))
            if seg.tax:
                charges.append(
                    Charge(seg.tax, sa.utility, sa.rate_schedule, sa.pk, GLAccount.Purpose.TAX)
                )
        label = "Final bill" if draft.account.status == Account.Status.FINAL else "Bill"
        estimated = " (estimated)" if draft.estimated else ""
        specs.append(
            EntrySpec(
                kind=JournalEntry.Kind.BILL,
                effective_on=bill_on,
                due_on=due_on,
                description=f"{label} {draft.period_start:%m/%d/%Y}–{draft.period_end:%m/%d/%Y}{estimated}",
                legs=charge_legs(chart, draft.account.pk, charges),
                account_id=draft.account.pk,
                source_key=f"bill:{draft.account.pk}:{draft.period_end.isoformat()}"
                + (f":rebill-of:{rebill_of.pk}" if rebill_of else ""),
            )
        )
    entry_ids = entries_post_many(specs, created_by=created_by)
    bills = []
    for draft, entry_id in zip(drafts, entry_ids, strict=True):
        account_id = draft.account.pk
        current = to_money(draft.total)
        payments, other = since.get(account_id, (ZERO, ZERO))
        amount_due = (balances.get(account_id) or ZERO) + current
        bills.append(
            Bill(
                account_id=account_id,
                run=run,
                period_start=draft.period_start,
                period_end=draft.period_end,
                bill_on=bill_on,
                due_on=due_on,
                previous_balance=amount_due - current - payments - other,
                payments=payments,
                other_charges=other,
                current_charges=current,
                amount_due=amount_due,
                estimated=draft.estimated,
                entry_id=entry_id,
                rebill_of=rebill_of,
                messages=f"Corrected bill, replacing the bill of {rebill_of.bill_on:%m/%d/%Y}."
                if rebill_of
                else "",
            )
        )
    Bill.objects.bulk_create(bills)
    _record_details(drafts, bills)
    return bills


def _since_last_bill(ids: list[int], bill_on: date, receivable) -> dict:
    """Per account: (payments, fees and adjustments) on the ledger since the
    account's last issued bill, as of ``bill_on``.

    "Since" is the ledger that bill did not see: entries posted after its
    entry (posting order), or dated after its date. The bill's amount due is
    the balance on ``bill_on``, so the previous balance (the rest) is exactly
    what that bill saw: the lines add up and each says what it names, also
    for a corrected bill issued after later bills or fees. An entry and its
    reversal both since the last bill (a bill cancelled and rebilled) cancel
    out and are left out."""
    last = {
        account_id: (entry_id, on)
        for account_id, entry_id, on in Bill.objects.filter(
            account_id__in=ids, status=Bill.Status.ISSUED
        )
        .order_by("account_id", "-entry_id")
        .distinct("account_id")
        .values_list("account_id", "entry_id", "bill_on")
    }
    legs = JournalLeg.objects.filter(gl_account_id__in=receivable, entry__effective_on__lte=bill_on)
    # Accounts billed before: only what some account's last bill cannot have
    # seen (sorted out per account below); never billed: everything.
    parts = [legs.filter(account_id__in=[a for a in ids if a not in last])]
    if last:
        first_id = min(entry_id for entry_id, _ in last.values())
        first_on = min(on for _, on in last.values())
        parts.append(
            legs.filter(account_id__in=list(last)).filter(
                Q(entry_id__gt=first_id) | Q(entry__effective_on__gt=first_on)
            )
        )
    rows = [
        row
        for part in parts
        for row in part.values("account_id", "entry_id")
        .annotate(total=Sum("amount"))
        .values_list(
            "account_id",
            "entry_id",
            "entry__effective_on",
            "entry__kind",
            "entry__reverses_id",
            "entry__reverses__kind",
            "total",
        )
    ]
    credits = {JournalEntry.Kind.PAYMENT, JournalEntry.Kind.TRANSFER}
    window: dict[int, dict[int, tuple]] = {}
    for account_id, entry_id, effective_on, kind, reverses_id, reversed_kind, total in rows:
        last_id, last_on = last.get(account_id, (0, date.min))
        if entry_id > last_id or effective_on > last_on:
            payment = kind in credits or (
                kind == JournalEntry.Kind.REVERSAL and reversed_kind in credits
            )
            window.setdefault(account_id, {})[entry_id] = (reverses_id, payment, total)
    sums = {}
    for account_id, entries in window.items():
        pair = {r for r, _, _ in entries.values() if r in entries}
        payments = other = ZERO
        for entry_id, (reverses_id, payment, total) in entries.items():
            if entry_id in pair or reverses_id in pair:
                continue
            if payment:
                payments += total
            else:
                other += total
        sums[account_id] = (payments, other)
    return sums


def _record_details(drafts: list[BillDraft], bills: list[Bill]) -> None:
    versions = {
        (code, effective): pk
        for pk, code, effective in RateVersion.objects.values_list(
            "pk", "schedule__code", "effective"
        )
    }
    segments, reads, line_sets = [], [], []
    for draft, bill in zip(drafts, bills, strict=True):
        for seg in draft.segments:
            if seg.estimate_read is not None:
                installation, register = seg.estimate_read
                reads.append(
                    MeterReadSpec(
                        installation=installation,
                        read_on=seg.end,
                        # To the register's cents, as the column keeps it.
                        register=register.quantize(CENT),
                        kind=MeterRead.Kind.ESTIMATED,
                        source="bill run",
                    )
                )
            segments.append(
                BillSegment(
                    bill=bill,
                    service_agreement=seg.agreement,
                    utility=seg.agreement.utility,
                    rate_schedule=seg.agreement.rate_schedule,
                    start=seg.start,
                    end=seg.end,
                    usage=seg.usage,
                    unit=seg.unit,
                    start_read=seg.start_read,
                    end_read=seg.end_read,
                    estimated=seg.estimated,
                    total=seg.total,
                    # As bill_compute gave them to the engine.
                    quantity=seg.agreement.containers or 1,
                    service_code=seg.agreement.service_code,
                    meter_size=seg.meter_size or "",
                    acres=seg.agreement.acres,
                )
            )
            line_sets.append(seg)
    meter_reads_add_many(reads)
    BillSegment.objects.bulk_create(segments)
    lines = []
    for segment, seg in zip(segments, line_sets, strict=True):
        effective_by_start = {s.first_day: s.version.effective for s in seg.calculation.segments}
        code = seg.agreement.rate_schedule
        for position, line in enumerate(seg.calculation.lines):
            lines.append(
                BillLine(
                    segment=segment,
                    rate_version_id=versions[(code, effective_by_start[line.segment_start])],
                    position=position,
                    description=line.description,
                    kind=line.kind,
                    amount=line.amount,
                    explanation=line.explanation[:200],
                )
            )
    BillLine.objects.bulk_create(lines)
    # Last, so the summary's rows are locked only until the caller commits.
    billed_determinants_count(bill_ids=[b.pk for b in bills], sign=1)


# The determinants of issued segments (docs/rate_modelling.md), summed per
# schedule, end day and determinant. One statement per call, in key order, so
# two bill run workers counting the same rows wait for each other, never
# deadlock.
_GROUPED = """
SELECT s.rate_schedule, s."end", s."end" - s.start AS days, s.usage, s.quantity,
       s.service_code, s.meter_size, s.acres, COUNT(*) AS segments
  FROM billing_billsegment s {which}
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
"""
_ADD = """
INSERT INTO billing_billeddeterminant
       (rate_schedule, "end", days, usage, quantity, service_code, meter_size, acres, segments)
{grouped}
    ON CONFLICT ON CONSTRAINT billed_determinant_key
    DO UPDATE SET segments = billing_billeddeterminant.segments + EXCLUDED.segments
"""
# A CHECK is tested on the row an INSERT proposes, before ON CONFLICT turns it
# into an update: taking away is an UPDATE, and every group must find its row.
_TAKE_AWAY = """
UPDATE billing_billeddeterminant d SET segments = d.segments - g.segments
  FROM ({grouped}) g
 WHERE d.rate_schedule = g.rate_schedule AND d."end" = g."end" AND d.days = g.days
   AND d.usage = g.usage AND d.quantity = g.quantity AND d.service_code = g.service_code
   AND d.meter_size = g.meter_size AND d.acres IS NOT DISTINCT FROM g.acres
RETURNING d.id, d.segments
"""


def billed_determinants_count(*, bill_ids: list[int], sign: int) -> None:
    """Add (``sign`` 1, as the bills are issued) or take away (-1, as they are
    cancelled) the segments of these bills in ``BilledDeterminant``, set-wise."""
    if not bill_ids:
        return
    grouped = _GROUPED.format(which="WHERE s.bill_id = ANY(%s)")
    with connection.cursor() as cursor:
        if sign > 0:
            cursor.execute(_ADD.format(grouped=grouped), [list(bill_ids)])
            return
        cursor.execute(f"SELECT COUNT(*) FROM ({grouped}) g", [list(bill_ids)])
        (groups,) = cursor.fetchone()
        cursor.execute(_TAKE_AWAY.format(grouped=grouped), [list(bill_ids)])
        left = cursor.fetchall()
        if len(left) != groups:
            raise RuntimeError(
                f"bills {bill_ids}: {groups - len(left)} of their determinants were never counted"
            )
        emptied = [pk for pk, segments in left if segments == 0]
        if emptied:
            cursor.execute("DELETE FROM billing_billeddeterminant WHERE id = ANY(%s)", [emptied])


def billed_determinants_rebuild() -> None:
    """Count ``BilledDeterminant`` again from every issued segment: after a bulk
    load that wrote segments without the bill run (the demo city)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM billing_billeddeterminant")
        issued = "JOIN billing_bill b ON b.id = s.bill_id WHERE b.status = 'issued'"
        cursor.execute(_ADD.format(grouped=_GROUPED.format(which=issued)))

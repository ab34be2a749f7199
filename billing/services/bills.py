"""Computing and issuing bills (billing_rules.md, "From meter reads to usage"
and "Around the calculation")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from accounts.models import (
    Account,
    GLAccount,
    JournalEntry,
    MeterInstallation,
    MeterRead,
    ProgramEnrolment,
    ServiceAgreement,
    Utility,
)
from accounts.services import Charge, charges_post
from mesa_cs.lib.money import ZERO, to_money

from ..engine import BillInput, Calculation, RateError, calculate
from ..models import Bill, BillLine, BillSegment, CycleDate, HeatContentFactor, RateVersion
from ..ratebook import RateBook

WHOLE = Decimal("1")


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


def previous_period_end(account: Account, period_end: date) -> date:
    """Where this period starts: the last issued bill's end, else the cycle's
    previous read date."""
    last = (
        Bill.objects.filter(account=account, status=Bill.Status.ISSUED, period_end__lt=period_end)
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    if last:
        return last
    earlier = (
        CycleDate.objects.filter(cycle__number=account.bill_cycle, read_on__lt=period_end)
        .order_by("-read_on")
        .values_list("read_on", flat=True)
        .first()
    )
    return earlier or period_end - timedelta(days=30)


def bill_compute(account: Account, period_end: date, book: RateBook) -> BillDraft:
    """Price one account's period, one segment per service agreement."""
    start = previous_period_end(account, period_end)
    draft = BillDraft(account=account, period_start=start, period_end=period_end)
    agreements = list(
        account.agreements.filter(starts_on__lte=period_end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=start))
        .exclude(status=ServiceAgreement.Status.PENDING)
        .select_related("service_point")
        .order_by("utility", "pk")
    )
    if not agreements:
        raise BillingException("no service to bill in this period")
    programs = frozenset(
        ProgramEnrolment.objects.filter(account=account, starts_on__lte=period_end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period_end))
        .values_list("program", flat=True)
    )
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
            usage, reads = _metered_usage(sa, seg_start, seg_end)
            if sa.utility == Utility.GAS:
                usage = _therms(usage, seg_end)
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
            winter_average=_winter_average(account, period_end)
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
            )
        )
    if not draft.segments:
        raise BillingException("no service days in this period")
    return draft


def _installation(sa: ServiceAgreement, on: date) -> MeterInstallation:
    installation = (
        MeterInstallation.objects.filter(service_point_id=sa.service_point_id, installed_on__lte=on)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gte=on))
        .select_related("meter")
        .order_by("-installed_on")
        .first()
    )
    if installation is None:
        raise BillingException(f"{sa.get_utility_display()}: no meter installed on {on}")
    return installation


def register_usage(previous: Decimal, current: Decimal, dials: int) -> Decimal:
    """Usage between two register readings, with rollover: a register near the
    top of its dials that starts again near zero has rolled over; any other
    drop is a read error."""
    if current >= previous:
        return current - previous
    top = Decimal(10) ** dials
    if previous >= top * Decimal("0.9") and current < top * Decimal("0.1"):
        return current + top - previous
    raise BillingException(
        f"read {current} is lower than the previous {previous} and is not a rollover"
    )


def _metered_usage(sa: ServiceAgreement, start: date, end: date) -> tuple[Decimal, dict]:
    installation = _installation(sa, end)
    meter = installation.meter
    reads = MeterRead.objects.filter(installation=installation).exclude(
        status=MeterRead.Status.REPLACED
    )
    held = reads.filter(status=MeterRead.Status.EXCEPTION, read_on__gt=start, read_on__lte=end)
    if held.exists():
        raise BillingException(
            f"{sa.get_utility_display()} meter {meter.number}: a read is held for review"
        )
    accepted = reads.filter(status=MeterRead.Status.ACCEPTED)
    first = accepted.filter(read_on__lte=start).order_by("-read_on", "-pk").first()
    start_register = first.register if first else installation.install_read
    last = accepted.filter(read_on__gt=start, read_on__lte=end).order_by("-read_on", "-pk").first()
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
    usage = (daily * (end - start).days).quantize(WHOLE)
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


def _therms(ccf: Decimal, on: date) -> Decimal:
    factor = (
        HeatContentFactor.objects.filter(month__lte=on.replace(day=1))
        .order_by("-month")
        .values_list("factor", flat=True)
        .first()
    )
    if factor is None:
        raise BillingException(f"no gas heat-content factor recorded for {on:%B %Y}")
    return (ccf * factor).quantize(WHOLE)


def _winter_average(account: Account, period_end: date) -> Decimal | None:
    """Mean water usage of the bills ending in Dec, Jan and Feb of the most
    recent winter; None (the schedule default) until there is one."""
    year = period_end.year if period_end.month > 2 else period_end.year - 1
    winter = Q(end__year=year - 1, end__month=12) | Q(end__year=year, end__month__in=[1, 2])
    usages = list(
        BillSegment.objects.filter(
            winter,
            bill__account=account,
            bill__status=Bill.Status.ISSUED,
            utility=Utility.WATER,
        ).values_list("usage", flat=True)
    )
    if not usages:
        return None
    return (sum(usages, ZERO) / len(usages)).quantize(Decimal("0.01"))


@transaction.atomic
def bill_issue(
    *, account: Account, period_end: date, bill_on: date, book: RateBook, run=None, created_by=None
) -> Bill:
    """Compute, post and record one bill. Issuing the same account and period
    again returns the bill already issued (a database unique constraint)."""
    existing = Bill.objects.filter(
        account=account, period_end=period_end, status=Bill.Status.ISSUED
    ).first()
    if existing is not None:
        return existing
    draft = bill_compute(account, period_end, book)
    charges = []
    for seg in draft.segments:
        sa = seg.agreement
        charges.append(Charge(seg.total - seg.tax, sa.utility, sa.rate_schedule, sa.pk))
        if seg.tax:
            charges.append(
                Charge(seg.tax, sa.utility, sa.rate_schedule, sa.pk, GLAccount.Purpose.TAX)
            )
    label = "Final bill" if account.status == Account.Status.FINAL else "Bill"
    estimated = " (estimated)" if draft.estimated else ""
    try:
        with transaction.atomic():
            entry = charges_post(
                account=account,
                kind=JournalEntry.Kind.BILL,
                effective_on=bill_on,
                due_on=due_date(bill_on),
                description=f"{label} {draft.period_start:%m/%d/%Y}–{period_end:%m/%d/%Y}{estimated}",
                charges=charges,
                created_by=created_by,
                source_key=f"bill:{account.pk}:{period_end.isoformat()}",
            )
            bill = _record(draft, entry, bill_on, run)
    except IntegrityError:
        existing = Bill.objects.filter(
            account=account, period_end=period_end, status=Bill.Status.ISSUED
        ).first()
        if existing is None:
            raise
        return existing
    return bill


def _record(draft: BillDraft, entry: JournalEntry, bill_on: date, run) -> Bill:
    account = draft.account
    summary = _summary(account, entry, bill_on)
    bill = Bill.objects.create(
        account=account,
        run=run,
        period_start=draft.period_start,
        period_end=draft.period_end,
        bill_on=bill_on,
        due_on=due_date(bill_on),
        current_charges=to_money(draft.total),
        estimated=draft.estimated,
        entry=entry,
        **summary,
    )
    versions = {
        (v.schedule.code, v.effective): v.pk
        for v in RateVersion.objects.filter(
            schedule__code__in={s.agreement.rate_schedule for s in draft.segments}
        ).select_related("schedule")
    }
    lines = []
    for seg in draft.segments:
        if seg.estimate_read is not None:
            installation, register = seg.estimate_read
            MeterRead.objects.create(
                installation=installation,
                read_on=seg.end,
                register=register,
                kind=MeterRead.Kind.ESTIMATED,
                source="bill run",
            )
        segment = BillSegment.objects.create(
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
        )
        by_segment_start = {s.first_day: s.version.effective for s in seg.calculation.segments}
        for position, line in enumerate(seg.calculation.lines):
            lines.append(
                BillLine(
                    segment=segment,
                    rate_version_id=versions[
                        (seg.agreement.rate_schedule, by_segment_start[line.segment_start])
                    ],
                    position=position,
                    description=line.description,
                    kind=line.kind,
                    amount=line.amount,
                    explanation=line.explanation[:200],
                )
            )
    BillLine.objects.bulk_create(lines)
    return bill


def _summary(account: Account, entry: JournalEntry, bill_on: date) -> dict:
    """Previous balance, payments and other charges since the last bill, so
    that previous + payments + other + current = amount due."""
    from accounts.selectors import account_balance

    last_bill_on = (
        Bill.objects.filter(account=account, status=Bill.Status.ISSUED)
        .order_by("-bill_on")
        .values_list("bill_on", flat=True)
        .first()
    )
    window = JournalEntry.objects.filter(
        legs__account=account,
        legs__gl_account__purpose=GLAccount.Purpose.RECEIVABLE,
        effective_on__lte=bill_on,
    ).exclude(pk=entry.pk)
    if last_bill_on:
        window = window.filter(effective_on__gt=last_bill_on)
    else:
        window = window.filter(effective_on__gt=bill_on - timedelta(days=31))
    credits = {JournalEntry.Kind.PAYMENT, JournalEntry.Kind.TRANSFER}
    sums = dict(
        window.values("kind").annotate(total=Sum("legs__amount")).values_list("kind", "total")
    )
    payments = sum((v for k, v in sums.items() if k in credits), ZERO)
    other = sum((v for k, v in sums.items() if k not in credits and k != "bill"), ZERO)
    amount_due = account_balance(account.pk, as_of=bill_on)
    current = sum((leg.amount for leg in entry.legs.filter(account=account)), ZERO)
    previous = amount_due - current - payments - other
    return {
        "previous_balance": previous,
        "payments": payments,
        "other_charges": other,
        "amount_due": amount_due,
    }

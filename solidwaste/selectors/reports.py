"""EMS's payroll and financial performance reports, for a day or a month.

Payroll: each crew member's hours split into regular and overtime by the
rule (solidwaste.rules.payroll), beside the overtime the crew sheets wrote.
Financial: solid-waste revenue billed (the lines of issued bills' solid-waste
segments, by rate schedule, as billing's revenue report counts them) and
collected (payments and their reversals applied to solid-waste receivables,
by the service's rate schedule, from the ledger), and the cost of the routes
(route hours x the cost rate in force that day) per ton and per lift. Both
read other apps' rows and write none."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Q, Sum
from django.db.models.functions import TruncMonth

from accounts.models import GLAccount, JournalEntry, JournalLeg, Utility
from billing.models import Bill, BillLine, RateSchedule
from mesa_cs.lib.dates import add_months
from mesa_cs.lib.money import ZERO, to_money
from solidwaste.models import CostRate, CrewMember, ProductionEntry, ServiceLine
from solidwaste.rules import kpis
from solidwaste.rules.payroll import split_hours, week_start

DAY, MONTH = "day", "month"
PAY_CODES = {"regular": "REG", "overtime": "OT"}


@dataclass(frozen=True)
class Period:
    """A report's day or calendar month."""

    kind: str
    start: date
    end: date

    @classmethod
    def of(cls, kind: str, day: date) -> Period:
        if kind == DAY:
            return cls(DAY, day, day)
        first = day.replace(day=1)
        return cls(MONTH, first, add_months(first, 1) - timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.start:%m/%d/%Y}" if self.kind == DAY else f"{self.start:%B %Y}"

    @property
    def slug(self) -> str:
        return self.start.isoformat() if self.kind == DAY else f"{self.start:%Y-%m}"

    def trend(self) -> list[Period]:
        """The periods a trend shows, ending with this one: 30 days or 12 months."""
        if self.kind == DAY:
            return [Period.of(DAY, self.start - timedelta(days=n)) for n in range(29, -1, -1)]
        return [Period.of(MONTH, add_months(self.start, -n)) for n in range(11, -1, -1)]


# --- Payroll ----------------------------------------------------------------


def _split_days(start: date, end: date) -> dict[int, dict[date, tuple]]:
    """Per crew member id, each day worked in [start, end]: (regular,
    overtime, overtime on the sheets, routes). The week's earlier days are
    read too, since they decide when the 40 hours are reached."""
    daily: dict[int, dict[date, Decimal]] = defaultdict(dict)
    sheets: dict[tuple[int, date], Decimal] = {}
    routes: dict[tuple[int, date], list[str]] = defaultdict(list)
    for operator, day, hours, sheet, route in (
        ProductionEntry.objects.filter(work_on__gte=week_start(start), work_on__lte=end)
        .values_list("operator_id", "work_on", "hours", "overtime_hours", "route__code")
        .order_by("operator_id", "work_on", "route__code")
    ):
        daily[operator][day] = daily[operator].get(day, ZERO) + hours
        sheets[(operator, day)] = sheets.get((operator, day), ZERO) + sheet
        routes[(operator, day)].append(route)
    limits = {
        "day_limit": settings.SOLIDWASTE_WORKDAY_HOURS,
        "week_limit": settings.SOLIDWASTE_WEEK_HOURS,
    }
    result = {}
    for operator, hours_by_day in daily.items():
        split = split_hours(hours_by_day, **limits)
        days = {
            day: (*split[day], sheets[(operator, day)], routes[(operator, day)])
            for day in sorted(split)
            if start <= day <= end
        }
        if days:
            result[operator] = days
    return result


def _crew(ids) -> dict[int, CrewMember]:
    return CrewMember.objects.in_bulk(ids)


def payroll(start: date, end: date) -> list[dict]:
    """Hours by crew member for [start, end], by employee number, and a total."""
    split = _split_days(start, end)
    crew = _crew(split)
    rows = []
    for operator_id, days in sorted(split.items(), key=lambda kv: crew[kv[0]].employee_number):
        member = crew[operator_id]
        regular = sum((d[0] for d in days.values()), ZERO)
        overtime = sum((d[1] for d in days.values()), ZERO)
        on_sheets = sum((d[2] for d in days.values()), ZERO)
        rows.append(
            {
                "employee_number": member.employee_number,
                "name": member.name,
                "position": member.get_position_display(),
                "days_worked": len(days),
                "hours": regular + overtime,
                "regular_hours": regular,
                "overtime_hours": overtime,
                "overtime_on_sheets": on_sheets,
                "difference": on_sheets - overtime,
            }
        )
    if rows:
        total = {key: sum(row[key] for row in rows) for key in list(rows[0])[3:]}
        rows.append({"employee_number": "Total", "name": "", "position": "", **total})
    return rows


def payroll_export_lines(start: date, end: date) -> list[dict]:
    """The payroll system's time entries: one line per crew member, day and
    pay code (REG, and OT when there is overtime), hours to the hundredth."""
    split = _split_days(start, end)
    crew = _crew(split)
    lines = []
    for operator_id, days in sorted(split.items(), key=lambda kv: crew[kv[0]].employee_number):
        member = crew[operator_id]
        for day, (regular, overtime, _, routes) in days.items():
            for code, hours in ((PAY_CODES["regular"], regular), (PAY_CODES["overtime"], overtime)):
                if hours:
                    lines.append(
                        {
                            "employee_number": member.employee_number,
                            "name": member.name,
                            "work_date": day,
                            "pay_code": code,
                            "hours": hours,
                            "routes": " ".join(routes),
                        }
                    )
    return lines


# --- Financial performance --------------------------------------------------


def _billed(start: date, end: date) -> dict[str, dict[str, Decimal]]:
    """Billed revenue and tax per solid-waste rate schedule."""
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"billed": ZERO, "tax": ZERO})
    for schedule, kind, total in (
        BillLine.objects.filter(
            segment__utility=Utility.SOLID_WASTE,
            segment__bill__status=Bill.Status.ISSUED,
            segment__bill__bill_on__gte=start,
            segment__bill__bill_on__lte=end,
        )
        .values_list("segment__rate_schedule", "kind")
        .annotate(total=Sum("amount"))
        .values_list("segment__rate_schedule", "kind", "total")
    ):
        totals[schedule]["tax" if kind == "tax" else "billed"] += total
    return totals


def _collected_legs(start: date, end: date):
    """Solid-waste receivable legs of payments (and of their reversals, a
    returned check) posted for [start, end]."""
    payment = JournalEntry.Kind.PAYMENT
    return JournalLeg.objects.filter(
        Q(entry__kind=payment)
        | Q(entry__kind=JournalEntry.Kind.REVERSAL, entry__reverses__kind=payment),
        gl_account__purpose=GLAccount.Purpose.RECEIVABLE,
        gl_account__utility=Utility.SOLID_WASTE,
        service_agreement__isnull=False,
        entry__effective_on__gte=start,
        entry__effective_on__lte=end,
    )


def _collected(start: date, end: date) -> dict[str, Decimal]:
    """Money collected per solid-waste rate schedule (a payment credits the
    receivable, so its legs are negative)."""
    return {
        schedule: -total
        for schedule, total in _collected_legs(start, end)
        .values_list("service_agreement__rate_schedule")
        .annotate(total=Sum("amount"))
        .values_list("service_agreement__rate_schedule", "total")
    }


def revenue_by_service_line(start: date, end: date) -> list[dict]:
    """Billed, tax and collected per solid-waste rate schedule, and a total."""
    billed, collected = _billed(start, end), _collected(start, end)
    names = dict(
        RateSchedule.objects.filter(utility=Utility.SOLID_WASTE).values_list("code", "name")
    )
    codes = sorted(set(names) | set(billed) | set(collected))
    rows = [
        {
            "code": code,
            "service_line": names.get(code, code),
            "billed": billed.get(code, {}).get("billed", ZERO),
            "tax": billed.get(code, {}).get("tax", ZERO),
            "collected": collected.get(code, ZERO),
        }
        for code in codes
    ]
    if rows:
        rows.append(
            {
                "code": "Total",
                "service_line": "",
                **{k: sum((r[k] for r in rows), ZERO) for k in ("billed", "tax", "collected")},
            }
        )
    return rows


def _rates(end: date) -> list[CostRate]:
    return list(CostRate.objects.filter(effective_on__lte=end).order_by("effective_on"))


def _rate_on(rates: list[CostRate], day: date) -> Decimal | None:
    rate = None
    for candidate in rates:
        if candidate.effective_on <= day:
            rate = candidate.cost_per_hour
    return rate


def _production_by_day(start: date, end: date):
    return (
        ProductionEntry.objects.filter(work_on__gte=start, work_on__lte=end)
        .values("work_on", "route__service_line")
        .annotate(lifts=Sum("lifts"), tons=Sum("tons"), hours=Sum("hours"))
        .order_by("work_on")
    )


def cost_by_service_line(start: date, end: date) -> list[dict]:
    """Route hours, lifts, tons and their cost per production service line,
    and a total; days without a cost rate cost nothing and are counted in
    ``hours_without_rate``."""
    rates = _rates(end)
    lines: dict[str, dict] = {}
    for row in _production_by_day(start, end):
        line = lines.setdefault(
            row["route__service_line"],
            {"lifts": 0, "tons": ZERO, "hours": ZERO, "cost": ZERO, "hours_without_rate": ZERO},
        )
        rate = _rate_on(rates, row["work_on"])
        line["lifts"] += row["lifts"]
        line["tons"] += row["tons"]
        line["hours"] += row["hours"]
        if rate is None:
            line["hours_without_rate"] += row["hours"]
        else:
            line["cost"] += row["hours"] * rate
    result = []
    order = list(ServiceLine.values)
    for code in sorted(lines, key=order.index):
        result.append(_cost_row(ServiceLine(code).label, lines[code]))
    if result:
        whole = {
            key: sum(line[key] for line in lines.values())
            for key in ("lifts", "tons", "hours", "cost", "hours_without_rate")
        }
        result.append(_cost_row("Total", whole))
    return result


def _cost_row(label: str, line: dict) -> dict:
    cost = to_money(line["cost"])
    return {
        "service_line": label,
        "lifts": line["lifts"],
        "tons": line["tons"],
        "hours": line["hours"],
        "cost": cost,
        "cost_per_ton": kpis.per_unit_cost(cost, line["tons"]),
        "cost_per_lift": kpis.per_unit_cost(cost, line["lifts"]),
        "hours_without_rate": line["hours_without_rate"],
    }


def financial_trend(period: Period) -> list[dict]:
    """Billed, collected and cost per ton over the trend's periods (30 days or
    12 months ending with ``period``), a few grouped queries in all."""
    periods = period.trend()
    start, end = periods[0].start, periods[-1].end

    def bucket(day: date) -> date:
        return day if period.kind == DAY else day.replace(day=1)

    billed, collected = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    lines = BillLine.objects.filter(
        segment__utility=Utility.SOLID_WASTE,
        segment__bill__status=Bill.Status.ISSUED,
        segment__bill__bill_on__gte=start,
        segment__bill__bill_on__lte=end,
    ).exclude(kind="tax")
    for day, total in (
        lines.annotate(on=_bucket_of("segment__bill__bill_on", period.kind))
        .values_list("on")
        .annotate(total=Sum("amount"))
        .values_list("on", "total")
    ):
        billed[bucket(day)] += total
    for day, total in (
        _collected_legs(start, end)
        .annotate(on=_bucket_of("entry__effective_on", period.kind))
        .values_list("on")
        .annotate(total=Sum("amount"))
        .values_list("on", "total")
    ):
        collected[bucket(day)] -= total
    rates = _rates(end)
    tons, cost = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    for row in _production_by_day(start, end):
        key = bucket(row["work_on"])
        tons[key] += row["tons"]
        rate = _rate_on(rates, row["work_on"])
        if rate is not None:
            cost[key] += row["hours"] * rate
    return [
        {
            "period": p.label if p.kind == MONTH else f"{p.start:%m/%d}",
            "billed": billed[p.start],
            "collected": collected[p.start],
            "tons": tons[p.start],
            "cost": to_money(cost[p.start]),
            "cost_per_ton": kpis.per_unit_cost(to_money(cost[p.start]), tons[p.start]),
        }
        for p in periods
    ]


def _bucket_of(field: str, kind: str):
    return F(field) if kind == DAY else TruncMonth(field)

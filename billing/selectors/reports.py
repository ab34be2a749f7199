"""Billing reports: each a list of rows (dicts) for a table and its exports."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Min, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import MeterRead, Utility
from billing.models import Bill, BillLine, BillSegment

REGISTER_AMOUNTS = (*Utility.values, "current_charges", "amount_due")


def billing_register(run_id: int) -> list[dict]:
    """Every bill of a run with its charges by utility, every utility a
    column in ``Utility``'s order. A cancelled bill is followed by its
    cancellation (the same amounts, negative) and its rebill, so the columns
    add up to what the run's bills stand at now."""
    bills = list(
        Bill.objects.filter(run_id=run_id)
        .select_related("account")
        .order_by("account__number", "pk")
    )
    rebills = _rebills({bill.pk for bill in bills if bill.status == Bill.Status.CANCELLED})
    charges: dict[int, dict] = {}
    for bill_id, utility, total in BillSegment.objects.filter(
        bill_id__in=[b.pk for b in bills] + [b.pk for b in rebills.values()]
    ).values_list("bill_id", "utility", "total"):
        by_utility = charges.setdefault(bill_id, {})
        by_utility[utility] = by_utility.get(utility, 0) + total
    rows = []

    def add(bill: Bill, status: str, sign: int = 1) -> None:
        amounts = {**dict.fromkeys(Utility.values), **charges.get(bill.pk, {})}
        amounts.update(current_charges=bill.current_charges, amount_due=bill.amount_due)
        rows.append(
            {
                "account": bill.account.number,
                "name": bill.account.name,
                "bill": bill.pk,
                "period": f"{bill.period_start:%m/%d/%Y}–{bill.period_end:%m/%d/%Y}",
                "status": status,
                **{k: None if v is None else sign * v for k, v in amounts.items()},
            }
        )

    for first in bills:
        bill = first
        while bill is not None:
            status = f"Rebill of bill {bill.rebill_of_id}" if bill.rebill_of_id else "Issued"
            if bill.status != Bill.Status.CANCELLED:
                add(bill, status)
                break
            add(bill, f"{status}, cancelled" if bill.rebill_of_id else "Cancelled")
            add(bill, f"Cancellation of bill {bill.pk}", sign=-1)
            bill = rebills.get(bill.pk)
    return rows


def _rebills(cancelled: set[int]) -> dict[int, Bill]:
    """The rebill of each cancelled bill, and of their rebills in turn, by
    the bill each corrects."""
    found: dict[int, Bill] = {}
    while cancelled:
        step = {
            rebill.rebill_of_id: rebill
            for rebill in Bill.objects.filter(rebill_of_id__in=cancelled).select_related("account")
        }
        found.update(step)
        cancelled = {b.pk for b in step.values() if b.status == Bill.Status.CANCELLED}
    return found


def revenue_by_schedule(year: int) -> list[dict]:
    """Billed revenue (tax apart) by month, utility and rate schedule."""
    lines = (
        BillLine.objects.filter(
            segment__bill__bill_on__year=year, segment__bill__status=Bill.Status.ISSUED
        )
        .annotate(month=TruncMonth("segment__bill__bill_on"))
        .values("month", "segment__utility", "segment__rate_schedule", "kind")
        .annotate(total=Sum("amount"))
        .order_by("month", "segment__utility", "segment__rate_schedule")
    )
    rows: dict[tuple, dict] = {}
    for line in lines:
        key = (line["month"], line["segment__utility"], line["segment__rate_schedule"])
        row = rows.setdefault(
            key,
            {
                "month": f"{line['month']:%Y-%m}",
                "utility": key[1],
                "schedule": key[2],
                "revenue": 0,
                "tax": 0,
            },
        )
        row["tax" if line["kind"] == "tax" else "revenue"] += line["total"]
    return list(rows.values())


def consumption_by_class(year: int) -> list[dict]:
    """Billed usage by month, utility and customer class."""
    return [
        {
            "month": f"{row['month']:%Y-%m}",
            "utility": row["utility"],
            "class": row["bill__account__customer_class"],
            "bills": row["bills"],
            "usage": row["usage"],
            "unit": row["unit"],
        }
        for row in BillSegment.objects.filter(
            bill__bill_on__year=year, bill__status=Bill.Status.ISSUED
        )
        .exclude(unit="container")
        .annotate(month=TruncMonth("bill__bill_on"))
        .values("month", "utility", "bill__account__customer_class", "unit")
        .annotate(bills=Count("pk"), usage=Sum("usage"))
        .order_by("month", "utility", "bill__account__customer_class")
    ]


def read_exception_aging(today: date | None = None) -> list[dict]:
    """Held reads by how long they have waited: 0–2, 3–7, 8–30, over 30 days."""
    today = today or timezone.localdate()
    buckets = {"0–2 days": 0, "3–7 days": 0, "8–30 days": 0, "over 30 days": 0}
    oldest = dict.fromkeys(buckets)
    for read_on, count, first in (
        MeterRead.objects.filter(status=MeterRead.Status.EXCEPTION)
        .values("read_on")
        .annotate(count=Count("pk"), first=Min("read_on"))
        .values_list("read_on", "count", "first")
    ):
        age = (today - read_on).days
        key = (
            "0–2 days"
            if age <= 2
            else "3–7 days"
            if age <= 7
            else "8–30 days"
            if age <= 30
            else "over 30 days"
        )
        buckets[key] += count
        oldest[key] = min(filter(None, [oldest[key], first]), default=first)
    return [{"waiting": k, "reads": v, "oldest": oldest[k] or ""} for k, v in buckets.items()]


REPORTS = {
    "register": ("Billing register", "One row per bill of a run, charges by utility."),
    "revenue": ("Revenue by utility and schedule", "Billed revenue and tax by month."),
    "consumption": ("Consumption by class", "Billed usage by month, utility and customer class."),
    "read-exceptions": (
        "Read-exception aging",
        "Reads held for review, by how long they have waited.",
    ),
}

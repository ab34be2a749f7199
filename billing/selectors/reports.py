"""Billing reports: each a list of rows (dicts) for a table and its exports."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Min, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import MeterRead
from billing.models import Bill, BillLine, BillSegment


def billing_register(run_id: int) -> list[dict]:
    """Every bill of a run with its charges by utility."""
    rows = {}
    for bill in (
        Bill.objects.filter(run_id=run_id).select_related("account").order_by("account__number")
    ):
        rows[bill.pk] = {
            "account": bill.account.number,
            "name": bill.account.name,
            "period": f"{bill.period_start:%m/%d/%Y}–{bill.period_end:%m/%d/%Y}",
            "status": bill.get_status_display(),
            "current_charges": bill.current_charges,
            "amount_due": bill.amount_due,
        }
    for bill_id, utility, total in BillSegment.objects.filter(bill__run_id=run_id).values_list(
        "bill_id", "utility", "total"
    ):
        rows[bill_id][utility] = rows[bill_id].get(utility, 0) + total
    return list(rows.values())


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

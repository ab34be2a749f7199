"""Cashiering reports: rows (dicts) for a table and its exports."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Sum

from cashiering.models import DrawerShift, Payment, PaymentTender, SuspenseItem
from mesa_cs.lib.money import ZERO


def payments_by_source(start: date, end: date) -> list[dict]:
    return [
        {
            "day": r["payment__received_on"],
            "source": r["payment__source__name"],
            "tender": r["tender"],
            "status": Payment.Status(r["payment__status"]).label,
            "payments": r["count"],
            "amount": r["total"],
        }
        # Voided payments were never received; returned ones were, and say so.
        for r in PaymentTender.objects.filter(
            payment__received_on__range=(start, end),
            payment__status__in=[Payment.Status.POSTED, Payment.Status.RETURNED],
        )
        .values("payment__received_on", "payment__source__name", "tender", "payment__status")
        .annotate(count=Count("payment", distinct=True), total=Sum("amount"))
        .order_by("payment__received_on", "payment__source__name", "tender", "payment__status")
    ]


def over_short_by_cashier(start: date, end: date) -> list[dict]:
    rows = (
        DrawerShift.objects.filter(
            status=DrawerShift.Status.CLOSED, business_date__range=(start, end)
        )
        .values("cashier__username")
        .annotate(
            shifts=Count("pk"),
            over=Sum("difference", filter=Q(difference__gt=0)),
            short=Sum("difference", filter=Q(difference__lt=0)),
            net=Sum("difference"),
        )
        .order_by("cashier__username")
    )
    return [
        {
            "cashier": r["cashier__username"],
            "shifts": r["shifts"],
            "over": r["over"] or ZERO,
            "short": r["short"] or ZERO,
            "net": r["net"] or ZERO,
        }
        for r in rows
    ]


def suspense_aging(today: date) -> list[dict]:
    buckets = {
        "0–7 days": [0, ZERO],
        "8–30 days": [0, ZERO],
        "31–90 days": [0, ZERO],
        "over 90 days": [0, ZERO],
    }
    for received_on, amount in SuspenseItem.objects.filter(
        status=SuspenseItem.Status.HELD
    ).values_list("received_on", "amount"):
        age = (today - received_on).days
        key = (
            "0–7 days"
            if age <= 7
            else "8–30 days"
            if age <= 30
            else "31–90 days"
            if age <= 90
            else "over 90 days"
        )
        buckets[key][0] += 1
        buckets[key][1] += amount
    return [{"held": k, "items": v[0], "amount": v[1]} for k, v in buckets.items()]


REPORTS = {
    "payments": "Payments by source, tender and day",
    "reconciliation": "Payment files against bank credits",
    "over-short": "Over/short by cashier",
    "suspense": "Suspense aging",
}

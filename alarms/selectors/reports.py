"""The Alarm Unit's reports: rows of plain values (dicts) for the report
page's table and its CSV/Excel export (docs/alarms.md, "Reports")."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from accounts.models import JournalLeg
from alarms.models import AlarmInvoice, AlarmPermit, Appeal, Assessment, Incident
from alarms.rules import fees
from mesa_cs.lib.money import ZERO

FALSE = Q(chargeable=True)


def _incidents(start: date, end: date):
    return Incident.objects.filter(reported_on__gte=start, reported_on__lte=end)


def _fees_by(rows, key: str) -> dict:
    return {
        row[key]: row["fees"] or ZERO
        for row in rows.values(key).annotate(fees=Sum("assessments__amount")).order_by()
    }


def false_alarms_by_address(start: date, end: date) -> list[dict]:
    incidents = _incidents(start, end)
    rows = (
        incidents.values("address_key")
        .annotate(
            calls=Count("pk"),
            false_alarms=Count("pk", filter=FALSE),
            burglary=Count("pk", filter=FALSE & Q(alarm_class=fees.BURGLARY)),
            panic_robbery=Count("pk", filter=FALSE & Q(alarm_class=fees.PANIC_ROBBERY)),
            without_permit=Count("pk", filter=FALSE & Q(permit__isnull=True)),
        )
        .order_by("-false_alarms", "address_key")[:500]
    )
    assessed = _fees_by(
        incidents.filter(address_key__in=[r["address_key"] for r in rows]), "address_key"
    )
    return [
        {
            "Address": row["address_key"],
            "Calls": row["calls"],
            "False alarms": row["false_alarms"],
            "Burglary": row["burglary"],
            "Panic or robbery": row["panic_robbery"],
            "With no permit": row["without_permit"],
            "Fees assessed": assessed.get(row["address_key"], ZERO),
        }
        for row in rows
    ]


def false_alarms_by_company(start: date, end: date) -> list[dict]:
    incidents = _incidents(start, end)
    rows = (
        incidents.values("permit__alarm_company__name")
        .annotate(
            calls=Count("pk"),
            false_alarms=Count("pk", filter=FALSE),
            permits=Count("permit", distinct=True),
        )
        .order_by("-false_alarms")
    )
    assessed = _fees_by(incidents, "permit__alarm_company__name")
    return [
        {
            "Alarm company": row["permit__alarm_company__name"] or "(no company or no permit)",
            "Calls": row["calls"],
            "False alarms": row["false_alarms"],
            "Permits with calls": row["permits"],
            "Fees assessed": assessed.get(row["permit__alarm_company__name"], ZERO),
        }
        for row in rows
    ]


def false_alarms_by_month(start: date, end: date) -> list[dict]:
    incidents = _incidents(start, end)
    rows = (
        incidents.annotate(month=TruncMonth("reported_on"))
        .values("month")
        .annotate(
            calls=Count("pk"),
            false_alarms=Count("pk", filter=FALSE),
            burglary=Count("pk", filter=FALSE & Q(alarm_class=fees.BURGLARY)),
            panic_robbery=Count("pk", filter=FALSE & Q(alarm_class=fees.PANIC_ROBBERY)),
            valid=Count("pk", filter=Q(disposition="valid")),
        )
        .order_by("month")
    )
    return [
        {
            "Month": row["month"].strftime("%Y-%m"),
            "Calls": row["calls"],
            "False alarms": row["false_alarms"],
            "Burglary": row["burglary"],
            "Panic or robbery": row["panic_robbery"],
            "Valid alarms": row["valid"],
        }
        for row in rows
    ]


def fees_billed_and_collected(start: date, end: date) -> list[dict]:
    """Per month: invoiced by kind, credited on appeal, and paid on alarm accounts."""
    invoices = (
        AlarmInvoice.objects.filter(issued_on__gte=start, issued_on__lte=end)
        .annotate(month=TruncMonth("issued_on"))
        .values("month", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    by_month: dict = {}
    for row in invoices:
        by_month.setdefault(row["month"], {})[row["kind"]] = row["total"]
    paid = (
        JournalLeg.objects.filter(
            account__kind="alarm",
            gl_account__purpose="receivable",
            entry__kind="payment",
            entry__effective_on__gte=start,
            entry__effective_on__lte=end,
        )
        .annotate(month=TruncMonth("entry__effective_on"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    credited = (
        Appeal.objects.filter(
            decided_on__gte=start, decided_on__lte=end, credit_entry__isnull=False
        )
        .annotate(month=TruncMonth("decided_on"))
        .values("month", "invoice__amount", "amount_upheld")
    )
    paid_by = {row["month"]: -row["total"] for row in paid}
    credit_by: dict = {}
    for row in credited:
        credit_by[row["month"]] = credit_by.get(row["month"], ZERO) + (
            row["invoice__amount"] - row["amount_upheld"]
        )
    months = sorted(set(by_month) | set(paid_by) | set(credit_by))
    kinds = AlarmInvoice.Kind
    return [
        {
            "Month": month.strftime("%Y-%m"),
            "Permit fees": by_month.get(month, {}).get(kinds.PERMIT, ZERO),
            "Renewal fees": by_month.get(month, {}).get(kinds.RENEWAL, ZERO),
            "False alarm fees": by_month.get(month, {}).get(kinds.FALSE_ALARM, ZERO),
            "Credited on appeal": credit_by.get(month, ZERO),
            "Collected": paid_by.get(month, ZERO),
        }
        for month in months
    ]


def permits_by_status(start: date, end: date) -> list[dict]:
    """Active, expiring (within 60 days of ``end``), expired, suspended and
    revoked permits, by premise."""
    expiring = Q(status="active", expires_on__lte=end + timedelta(days=fees.RENEWAL_NOTICE_DAYS))
    rows = (
        AlarmPermit.objects.values("customer_class")
        .annotate(
            active=Count("pk", filter=Q(status="active")),
            expiring=Count("pk", filter=expiring),
            expired=Count("pk", filter=Q(status="expired")),
            expired_in_period=Count(
                "pk", filter=Q(status="expired", status_since__gte=start, status_since__lte=end)
            ),
            suspended=Count("pk", filter=Q(status="suspended")),
            revoked=Count("pk", filter=Q(status="revoked")),
            issued=Count("pk", filter=Q(issued_on__gte=start, issued_on__lte=end)),
        )
        .order_by("customer_class")
    )
    return [
        {
            "Premise": dict(AlarmPermit._meta.get_field("customer_class").choices)[
                row["customer_class"]
            ],
            "Active": row["active"],
            "Expiring within 60 days": row["expiring"],
            "Expired": row["expired"],
            "Expired in the period": row["expired_in_period"],
            "Suspended": row["suspended"],
            "Revoked": row["revoked"],
            "Issued or renewed in the period": row["issued"],
        }
        for row in rows
    ]


def appeals_and_outcomes(start: date, end: date) -> list[dict]:
    appeals = Appeal.objects.filter(filed_on__gte=start, filed_on__lte=end).select_related(
        "invoice__permit", "invoice__account"
    )
    no_permit = dict(
        Assessment.objects.filter(
            invoice__appeals__in=appeals, fee_type=Assessment.FeeType.NO_PERMIT
        ).values_list("invoice_id", "amount")
    )
    return [
        {
            "Invoice": appeal.invoice.number,
            "Permit": appeal.invoice.permit.number if appeal.invoice.permit_id else "",
            "Account": appeal.invoice.account.number,
            "Filed": appeal.filed_on,
            "Hearing by": appeal.hearing_by,
            "Hearing": appeal.hearing_on or "",
            "Status": appeal.get_status_display(),
            "Outcome": appeal.get_outcome_display() if appeal.outcome else "",
            "Invoiced": appeal.invoice.amount,
            "No-permit part": no_permit.get(appeal.invoice_id, ZERO),
            "Stands": appeal.amount_upheld if appeal.amount_upheld is not None else "",
            "Credited": (appeal.invoice.amount - appeal.amount_upheld)
            if appeal.amount_upheld is not None
            else Decimal("0.00"),
        }
        for appeal in appeals.order_by("filed_on", "pk")
    ]


REPORTS = {
    "by_address": ("False alarms by address", false_alarms_by_address),
    "by_company": ("False alarms by alarm company", false_alarms_by_company),
    "by_month": ("False alarms by month", false_alarms_by_month),
    "fees": ("Fees billed and collected", fees_billed_and_collected),
    "permits": ("Permits active, expiring and expired", permits_by_status),
    "appeals": ("Appeals and outcomes", appeals_and_outcomes),
}

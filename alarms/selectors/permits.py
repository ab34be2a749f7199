"""Reads for the Alarm Unit: lists, a permit's whole story, the Licensing
counter's lookup, statements, the home page's figures, and what a holder
owes past due (less what an appeal stays), which suspension reads too."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q, Sum

from accounts.models import Account, GLAccount, Premise
from accounts.selectors.ledger import (
    account_balance,
    receivable_open_items,
    receivable_open_items_many,
)
from alarms.models import (
    AlarmCompany,
    AlarmFile,
    AlarmInvoice,
    AlarmPermit,
    Appeal,
    Incident,
)
from alarms.rules import fees
from mesa_cs.lib.address import normalize_address
from mesa_cs.lib.money import ZERO


def permits_list():
    return AlarmPermit.objects.select_related("alarm_company", "account").order_by("-pk")


def permit_page(number: str) -> AlarmPermit | None:
    return (
        AlarmPermit.objects.select_related("account", "alarm_company", "premise", "created_by")
        .filter(number=number)
        .first()
    )


def invoice_open_amounts(account_id: int) -> dict[int, object]:
    """What is still owed on each of the account's invoice entries."""
    return {item.entry_id: item.open_amount for item in receivable_open_items(account_id)}


def permit_story(permit: AlarmPermit) -> dict:
    invoices = list(
        permit.invoices.select_related("incident").prefetch_related("appeals").order_by("-pk")
    )
    open_amounts = invoice_open_amounts(permit.account_id)
    for invoice in invoices:
        invoice.open_amount = open_amounts.get(invoice.entry_id, ZERO) if invoice.entry_id else ZERO
    return {
        "invoices": invoices,
        "balance": account_balance(permit.account_id),
        "incidents": list(permit.incidents.order_by("-reported_at")[:100]),
        "responders": list(permit.responders.all()),
        "suspensions": list(permit.suspensions.select_related("reinstated_by")),
        "appeals": list(
            Appeal.objects.filter(invoice__permit=permit).select_related("invoice").order_by("-pk")
        ),
        "other_permits": list(
            AlarmPermit.objects.filter(address_key=permit.address_key).exclude(pk=permit.pk)
        ),
    }


def invoices_list():
    return AlarmInvoice.objects.select_related("account", "permit", "incident").order_by("-pk")


def invoice_page(number: str) -> AlarmInvoice | None:
    return (
        AlarmInvoice.objects.select_related("account", "permit", "incident", "entry")
        .prefetch_related("assessments", "appeals")
        .filter(number=number)
        .first()
    )


def invoice_open_amount(invoice: AlarmInvoice):
    if not invoice.entry_id:
        return ZERO
    return invoice_open_amounts(invoice.account_id).get(invoice.entry_id, ZERO)


def incidents_list():
    return Incident.objects.select_related("permit").order_by("-reported_at")


def incident_page(number: str) -> Incident | None:
    return (
        Incident.objects.select_related("permit", "file", "invoice")
        .prefetch_related("assessments")
        .filter(incident_number=number)
        .first()
    )


def appeals_list():
    return Appeal.objects.select_related(
        "invoice__account", "invoice__permit", "decided_by"
    ).order_by("status", "hearing_by")


def appeal_page(pk: int) -> Appeal | None:
    return (
        Appeal.objects.select_related("invoice__account", "invoice__permit", "invoice__incident")
        .prefetch_related("invoice__assessments")
        .filter(pk=pk)
        .first()
    )


def companies_list():
    return AlarmCompany.objects.annotate(
        permits_active=Count("permits", filter=Q(permits__status="active")),
        permits_total=Count("permits"),
    ).order_by("name")


def company_permits(company: AlarmCompany):
    return company.permits.select_related("account").order_by("-status", "number")


def files_list(kind: str, limit: int = 20):
    return (
        AlarmFile.objects.filter(kind=kind).select_related("uploaded_by").defer("content")[:limit]
    )


def lookup(query: str, limit: int = 50) -> list[AlarmPermit]:
    """Permits by permit number, address (as the feed compares it) or holder."""
    query = " ".join(query.split())
    if not query:
        return []
    key = normalize_address(query)
    found = AlarmPermit.objects.filter(
        Q(number__iexact=query) | Q(address_key__startswith=key) | Q(holder_name__icontains=query)
    )
    return list(found.select_related("alarm_company").order_by("status", "-expires_on")[:limit])


def unpermitted_incidents_at(query: str, limit: int = 20):
    """False alarms at an address that no permit matches (for the counter)."""
    key = normalize_address(" ".join(query.split()))
    if not key:
        return []
    return list(
        Incident.objects.filter(permit__isnull=True, address_key__startswith=key).order_by(
            "-reported_at"
        )[:limit]
    )


def unit_figures(on) -> dict:
    """The Alarm Unit's day, as its home page and the section page count it."""
    return {
        "research": Incident.objects.filter(research=Incident.Research.OPEN).count(),
        "appeals_due": Appeal.objects.exclude(status=Appeal.Status.DECIDED)
        .filter(hearing_by__lte=on + timedelta(days=7))
        .count(),
        "appeals_open": Appeal.objects.exclude(status=Appeal.Status.DECIDED).count(),
        "renewals_due": AlarmPermit.objects.filter(
            status=AlarmPermit.Status.ACTIVE,
            expires_on__gte=on,
            expires_on__lte=on + timedelta(days=fees.RENEWAL_NOTICE_DAYS),
        ).count(),
        "suspended": AlarmPermit.objects.filter(status=AlarmPermit.Status.SUSPENDED).count(),
        "active": AlarmPermit.objects.filter(status=AlarmPermit.Status.ACTIVE).count(),
    }


def account_alarm_permits(account) -> dict:
    """For the account page's tab: the account's own permits and invoices (an
    alarm account), or the permits at its service addresses (a utility one)."""
    keys = list(
        Premise.objects.filter(agreements__account=account).values_list("address_key", flat=True)
    )
    permits = AlarmPermit.objects.filter(Q(account=account) | Q(address_key__in=keys)).distinct()
    return {
        "permits": list(permits.select_related("alarm_company").order_by("-issued_on")[:20]),
        "invoices": list(account.alarm_invoices.order_by("-pk")[:20]),
    }


def statement_balances(as_of):
    """Alarm accounts that owe on ``as_of``, largest first: the month's
    statements go to each (docs/alarms.md, "Statements")."""
    return (
        Account.objects.filter(
            kind=Account.Kind.ALARM,
            legs__gl_account__purpose=GLAccount.Purpose.RECEIVABLE,
            legs__entry__effective_on__lte=as_of,
        )
        .annotate(balance=Sum("legs__amount"))
        .filter(balance__gt=0)
        .order_by("-balance", "number")
    )


def statement_for(account, as_of) -> dict:
    """One alarm account's statement: each invoice still open, oldest first,
    with what is stayed under appeal."""
    open_items = {
        item.entry_id: item.open_amount for item in receivable_open_items(account.pk, as_of)
    }
    stayed = stayed_entries([account.pk])
    invoices = list(
        AlarmInvoice.objects.filter(account=account, entry_id__in=open_items)
        .select_related("permit", "incident")
        .order_by("issued_on", "pk")
    )
    for invoice in invoices:
        invoice.open_amount = open_items[invoice.entry_id]
        invoice.stayed = invoice.entry_id in stayed
        invoice.past_due = invoice.due_on < as_of
    total = sum((i.open_amount for i in invoices), ZERO)
    return {
        "account": account,
        "as_of": as_of,
        "invoices": invoices,
        "total": total,
        "stayed": sum((i.open_amount for i in invoices if i.stayed), ZERO),
        "past_due": sum((i.open_amount for i in invoices if i.past_due and not i.stayed), ZERO),
        "balance": account_balance(account.pk, as_of),
    }


def stayed_entries(account_ids) -> set[int]:
    """The journal entries of invoices under an open appeal: stayed, so
    they count toward no suspension."""
    return set(
        Appeal.objects.filter(invoice__account_id__in=account_ids)
        .exclude(status=Appeal.Status.DECIDED)
        .exclude(invoice__entry__isnull=True)
        .values_list("invoice__entry_id", flat=True)
    )


def past_due_fees(account_ids: list[int], on: date, *, older_than_days: int | None = 0) -> dict:
    """What each alarm account owes that fell due more than ``older_than_days``
    before ``on`` (with None, all it owes, due or not), leaving out stayed
    invoices."""
    stayed = stayed_entries(account_ids)
    cutoff = None if older_than_days is None else on - timedelta(days=older_than_days)
    owed = {}
    for account_id, items in receivable_open_items_many(account_ids, as_of=on).items():
        amount = sum(
            (
                i.open_amount
                for i in items
                if (cutoff is None or i.due_on < cutoff) and i.entry_id not in stayed
            ),
            ZERO,
        )
        if amount > ZERO:
            owed[account_id] = amount
    return owed

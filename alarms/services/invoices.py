"""Alarm invoices: each one a charge on the holder's alarm account, posted
through the shared ledger so the counter and payment files take it like any
bill (docs/alarms.md, "Invoices")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction

from accounts.models import GLAccount, JournalEntry
from accounts.services.ledger import Charge, EntrySpec, GLChart, charge_legs, entries_post_many
from alarms.models import AlarmInvoice
from mesa_cs.lib.copy import copy_rows
from mesa_cs.lib.money import ZERO, to_money


@dataclass(frozen=True)
class InvoiceSpec:
    kind: str
    account_id: int
    issued_on: date
    amount: Decimal
    description: str
    source_key: str
    permit_id: int | None = None
    incident_id: int | None = None
    term_ends_on: date | None = None
    file_id: int | None = None


def invoice_due_on(issued_on: date) -> date:
    return issued_on + timedelta(days=settings.ALARM_INVOICE_DUE_DAYS)


def invoice_numbers_next(count: int) -> list[str]:
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval('alarms_invoice_number_seq') FROM generate_series(1, %s)", [count]
        )
        return [f"AI-{value:07d}" for (value,) in cursor.fetchall()]


INVOICE_COLUMNS = (
    "number", "kind", "account_id", "permit_id", "incident_id", "term_ends_on", "issued_on",
    "due_on", "amount", "entry_id", "source_key", "file_id",
)  # fmt: skip


@transaction.atomic
def invoices_post_many(
    specs: list[InvoiceSpec], *, created_by=None
) -> list[tuple[InvoiceSpec, int]]:
    """Post each invoice's charge (none for a $0.00 notice) and record the
    invoice. A spec whose source key was already invoiced is skipped, so a
    batch run twice invoices once; the specs invoiced are returned, each
    with its invoice's id (rows, not instances: a feed makes tens of
    thousands)."""
    keys = [spec.source_key for spec in specs]
    done = set(
        AlarmInvoice.objects.filter(source_key__any=keys).values_list("source_key", flat=True)
    )
    specs = [spec for spec in specs if spec.source_key not in done]
    if not specs:
        return []
    chart = GLChart()
    charged = [spec for spec in specs if to_money(spec.amount) > ZERO]
    entry_ids = entries_post_many(
        [
            EntrySpec(
                kind=JournalEntry.Kind.FEE,
                effective_on=spec.issued_on,
                due_on=invoice_due_on(spec.issued_on),
                description=spec.description,
                legs=charge_legs(
                    chart,
                    spec.account_id,
                    [Charge(spec.amount, revenue_purpose=GLAccount.Purpose.ALARM_FEES)],
                ),
                account_id=spec.account_id,
                source_key=f"alarm-invoice:{spec.source_key}",
            )
            for spec in charged
        ],
        created_by=created_by,
    )
    entry_for = dict(zip((spec.source_key for spec in charged), entry_ids, strict=True))
    ids = copy_rows(
        AlarmInvoice,
        INVOICE_COLUMNS,
        (
            (
                number, spec.kind, spec.account_id, spec.permit_id, spec.incident_id,
                spec.term_ends_on, spec.issued_on, invoice_due_on(spec.issued_on),
                to_money(spec.amount), entry_for.get(spec.source_key), spec.source_key,
                spec.file_id,
            )
            for number, spec in zip(invoice_numbers_next(len(specs)), specs, strict=True)
        ),
    )  # fmt: skip
    return list(zip(specs, ids, strict=True))


def invoice_post(spec: InvoiceSpec, *, created_by=None) -> AlarmInvoice:
    """One invoice (see ``invoices_post_many``); the one already made for its
    source key when there is one."""
    invoices_post_many([spec], created_by=created_by)
    return AlarmInvoice.objects.get(source_key=spec.source_key)

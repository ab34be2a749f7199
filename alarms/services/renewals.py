"""Yearly renewal: the notice and its invoice 60 days before expiry, and on
the day after expiry either the next term (its renewal paid) or a lapsed,
expired permit. Both are keyed per permit and term, so a date run twice
does nothing new (docs/alarms.md, "Renewals")."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import JournalEntry
from accounts.selectors.ledger import receivable_open_items_many
from accounts.services.ledger import entry_reverse
from alarms.models import AlarmInvoice, AlarmPermit
from alarms.rules import fees
from alarms.services.invoices import invoice_post, invoices_post_many
from alarms.services.letters import alarm_letter_send
from alarms.services.permits import permit_fee_spec
from mesa_cs.lib.dates import refuse_future

RENEWABLE = (AlarmPermit.Status.ACTIVE, AlarmPermit.Status.SUSPENDED)


def next_term_ends_on(permit: AlarmPermit) -> date:
    return fees.term_ends_on(permit.expires_on + timedelta(days=1))


def renewal_letter_send(*, permit: AlarmPermit, invoice: AlarmInvoice, by=None):
    return alarm_letter_send(
        account=permit.account,
        kind="alarm_renewal",
        merge={
            "permit_number": permit.number,
            "premise_address": permit.address,
            "expires_on": permit.expires_on,
            "fee_total": invoice.amount,
            "due_date": invoice.due_on,
        },
        source_key=f"alarm-letter:{invoice.source_key}",
        by=by,
    )


def _unpaid_entries(invoices: list[AlarmInvoice], on: date) -> set[int]:
    open_items = receivable_open_items_many(list({i.account_id for i in invoices}), as_of=on)
    return {item.entry_id for items in open_items.values() for item in items}


@transaction.atomic
def renewals_run(*, on: date, by=None) -> dict:
    """The renewal notices due by ``on`` and the permits whose term ended
    before ``on``. Returns what it did, as the command prints it."""
    refuse_future("on", on, "Run renewals for")
    due = list(
        AlarmPermit.objects.filter(
            status__in=RENEWABLE,
            expires_on__gte=on,
            expires_on__lte=on + timedelta(days=fees.RENEWAL_NOTICE_DAYS),
        ).select_related("account")
    )
    specs = [
        permit_fee_spec(
            permit,
            kind=AlarmInvoice.Kind.RENEWAL,
            issued_on=on,
            term_ends_on=next_term_ends_on(permit),
        )
        for permit in due
    ]
    made = invoices_post_many(specs, created_by=by)
    invoices = list(AlarmInvoice.objects.filter(pk__in=[pk for _, pk in made]).order_by("pk"))
    permits = {permit.pk: permit for permit in due}
    for invoice in invoices:
        renewal_letter_send(permit=permits[invoice.permit_id], invoice=invoice, by=by)
    renewed, expired = _roll_over(on, by)
    return {
        "date": on.isoformat(),
        "renewal_notices": len(made),
        "amount_invoiced": f"{sum((i.amount for i in invoices), Decimal('0.00')):.2f}",
        "renewed": renewed,
        "expired": expired,
    }


def _roll_over(on: date, by) -> tuple[list[str], list[str]]:
    ended = list(
        AlarmPermit.objects.select_for_update()
        .filter(status__in=RENEWABLE, expires_on__lt=on)
        .order_by("pk")
    )
    renewals = {
        (i.permit_id, i.term_ends_on): i
        for i in AlarmInvoice.objects.filter(kind=AlarmInvoice.Kind.RENEWAL, permit__in=ended)
    }
    unpaid = _unpaid_entries(list(renewals.values()), on) if renewals else set()
    renewed, expired = [], []
    for permit in ended:
        invoice = renewals.get((permit.pk, next_term_ends_on(permit)))
        if invoice is not None and invoice.entry_id not in unpaid:
            permit.expires_on = invoice.term_ends_on
            permit.save(update_fields=["expires_on"])
            renewed.append(permit.number)
        else:
            permit.status, permit.status_since = AlarmPermit.Status.EXPIRED, on
            permit.status_reason = "Renewal fee not paid by the end of the term"
            permit.save(update_fields=["status", "status_since", "status_reason"])
            if invoice is not None:
                _renewal_cancel(invoice, on, by)
            expired.append(permit.number)
    return renewed, expired


def _renewal_cancel(invoice: AlarmInvoice, on: date, by) -> None:
    """A lapsed permit has no next term, so its unpaid renewal fee is
    reversed: the holder is not billed for a term never granted (and a
    renewal at the counter charges the new term's fee, not a second one).
    Whatever was paid toward it stays on the account as a credit."""
    if invoice.entry_id is None or JournalEntry.objects.filter(reverses=invoice.entry_id).exists():
        return
    entry_reverse(
        entry=invoice.entry,
        reason=f"permit lapsed unpaid; invoice {invoice.number} cancelled",
        effective_on=max(on, invoice.issued_on),
        created_by=by,
    )


@transaction.atomic
def permit_renew(*, permit: AlarmPermit, on: date, by=None) -> AlarmPermit:
    """Renew a lapsed permit at the counter: a new yearly term from ``on``
    and its fee. (An active permit renews through its notice.)"""
    refuse_future("on", on, "Renew on")
    permit = AlarmPermit.objects.select_for_update().select_related("account").get(pk=permit.pk)
    if permit.status != AlarmPermit.Status.EXPIRED:
        raise ValidationError(
            f"Permit {permit.number} is {permit.get_status_display().lower()}; "
            "only an expired permit is renewed here."
        )
    permit.issued_on, permit.expires_on = on, fees.term_ends_on(on)
    permit.status, permit.status_since, permit.status_reason = AlarmPermit.Status.ACTIVE, on, ""
    permit.save(
        update_fields=["issued_on", "expires_on", "status", "status_since", "status_reason"]
    )
    invoice = invoice_post(
        permit_fee_spec(
            permit, kind=AlarmInvoice.Kind.RENEWAL, issued_on=on, term_ends_on=permit.expires_on
        ),
        created_by=by,
    )
    renewal_letter_send(permit=permit, invoice=invoice, by=by)
    return permit

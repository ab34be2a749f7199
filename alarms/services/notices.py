"""The letter each invoice sends: the permit letter, the renewal notice, or
the false-alarm notice with the count and what the next one costs."""

from __future__ import annotations

from accounts.rules.letter_texts import NO_PERMIT_ON_FILE, alarm_type_wording, count_wording
from alarms.models import AlarmInvoice, Assessment, Suspension
from alarms.rules import fees
from alarms.services.letters import alarm_letter_send
from mesa_cs.lib.money import ZERO


def false_alarm_letter_send(*, invoice: AlarmInvoice, by=None):
    incident = invoice.incident
    by_type = {a.fee_type: a for a in invoice.assessments.all()}
    charge = by_type[Assessment.FeeType.FALSE_ALARM]
    no_permit = by_type.get(Assessment.FeeType.NO_PERMIT)
    active = no_permit is None
    return alarm_letter_send(
        account=invoice.account,
        kind="alarm_false_alarm",
        merge={
            "permit_number": invoice.permit.number if active else NO_PERMIT_ON_FILE,
            "premise_address": incident.address,
            "incident_number": incident.incident_number,
            "incident_date": incident.reported_on,
            "alarm_type": alarm_type_wording(incident.alarm_type),
            "count_in_window": count_wording(charge.count_in_window),
            "fee": charge.amount,
            "no_permit_fee": no_permit.amount if no_permit else ZERO,
            "next_fee": fees.false_alarm_fee(charge.alarm_class, charge.count_in_window + 1),
            "invoice_number": invoice.number,
            "due_date": invoice.due_on,
            "appeal_by": fees.appeal_deadline(invoice.issued_on),
        },
        source_key=f"alarm-letter:{invoice.source_key}",
        by=by,
    )


def invoice_letter_send(*, invoice: AlarmInvoice, by=None):
    from alarms.services.permits import permit_letter_send
    from alarms.services.renewals import renewal_letter_send

    if invoice.kind == AlarmInvoice.Kind.FALSE_ALARM:
        return false_alarm_letter_send(invoice=invoice, by=by)
    if invoice.kind == AlarmInvoice.Kind.PERMIT:
        return permit_letter_send(permit=invoice.permit, invoice=invoice, by=by)
    return renewal_letter_send(permit=invoice.permit, invoice=invoice, by=by)


def file_letters_send(*, file_id: int) -> int:
    """The letters of an import's invoices and of the suspensions its feed
    brought; each is keyed, so a task that runs twice sends each once.
    Returns how many invoices it went through."""
    invoices = (
        AlarmInvoice.objects.filter(file_id=file_id)
        .select_related("account", "permit", "incident")
        .prefetch_related("assessments")
        .order_by("pk")
    )
    count = 0
    for invoice in invoices.iterator(chunk_size=500):
        invoice_letter_send(invoice=invoice)
        count += 1
    from alarms.services.suspensions import suspension_letter_send

    for suspension in Suspension.objects.filter(incident__file_id=file_id).select_related(
        "permit__account"
    ):
        suspension_letter_send(suspension=suspension)
    return count

"""Incidents no permit and no address matched: staff find who answers for
the alarm and its waiting fees are invoiced to them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Account
from accounts.services.customers import account_create, person_create
from alarms.models import AlarmInvoice, AlarmPermit, Assessment, Incident
from alarms.services.feed import RESEARCH_KIND, false_alarm_description
from alarms.services.invoices import InvoiceSpec, invoice_post
from alarms.services.notices import false_alarm_letter_send
from alarms.services.permits import holder_person_fields
from mesa_cs.lib.dates import today
from mesa_cs.lib.money import ZERO
from staffing.services import work_item_close_for_source


@transaction.atomic
def incident_research_resolve(
    *,
    incident: Incident,
    by,
    permit: AlarmPermit | None = None,
    holder_name: str = "",
    mailing_address: str = "",
    zip_code: str = "",
    business: bool = False,
) -> Incident:
    """Settle an incident to research: it belongs to ``permit``, or to the
    holder named (a new alarm account, with no permit). Its waiting fees
    are then invoiced; the no-permit assessment falls away if the permit
    was active on the day."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.research != Incident.Research.OPEN:
        raise ValidationError(f"Incident {incident.incident_number} is not waiting for research.")
    if permit is not None:
        account = permit.account
    elif holder_name.strip() and mailing_address.strip():
        person = person_create(
            **holder_person_fields(holder_name, business),
            mailing_line1=" ".join(mailing_address.split()),
            mailing_city="Mesa",
            mailing_state="AZ",
            mailing_zip=zip_code,
        )
        account = account_create(
            main_person=person,
            kind=Account.Kind.ALARM,
            customer_class="commercial" if business else "residential",
        )
    else:
        raise ValidationError("Choose the permit, or give the holder's name and mailing address.")
    waiting = list(incident.assessments.filter(status=Assessment.Status.RESEARCH))
    active = permit is not None and permit.active_on(incident.reported_on)
    if active:
        for assessment in waiting:
            if assessment.fee_type == Assessment.FeeType.NO_PERMIT:
                assessment.status = Assessment.Status.CANCELLED
                assessment.save(update_fields=["status"])
        waiting = [a for a in waiting if a.fee_type != Assessment.FeeType.NO_PERMIT]
    if waiting:
        invoice = invoice_post(
            InvoiceSpec(
                kind=AlarmInvoice.Kind.FALSE_ALARM,
                account_id=account.pk,
                permit_id=permit.pk if permit else None,
                incident_id=incident.pk,
                issued_on=today(),
                amount=sum((a.amount for a in waiting), ZERO),
                description=false_alarm_description(
                    incident, waiting[0].count_in_window, not active
                ),
                source_key=f"false_alarm:{incident.incident_number}",
            ),
            created_by=by,
        )
        Assessment.objects.filter(pk__in=[a.pk for a in waiting]).update(
            invoice=invoice, status=Assessment.Status.BILLED
        )
        false_alarm_letter_send(invoice=invoice, by=by)
    incident.permit = permit
    incident.matched_by = Incident.MatchedBy.RESEARCH
    incident.research = Incident.Research.DONE
    incident.save(update_fields=["permit", "matched_by", "research"])
    work_item_close_for_source(
        kind=RESEARCH_KIND,
        source_key=incident.incident_number,
        closed_by=by,
        outcome=f"Holder found: {account.number}",
    )
    return incident

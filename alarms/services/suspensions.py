"""Suspension at the 10th burglary false alarm in the window or with fees
more than 90 days past due, and reinstatement by a supervisor once paid."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from alarms.models import AlarmInvoice, AlarmPermit, Suspension
from alarms.rules import fees
from alarms.selectors.permits import past_due_fees
from alarms.services.letters import alarm_letter_send
from mesa_cs.lib.dates import refuse_future
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.money import ZERO
from staffing.models import Section, WorkItem
from staffing.services import work_item_close_for_source, work_items_open_many

REINSTATEMENT_KIND = "alarm_reinstatement"


@transaction.atomic
def permits_suspend(incidents: dict[int, int | None], *, reason: str, on: date) -> list[Suspension]:
    """Suspend each of these permits (by id, with the id of the incident
    that suspends it, if any) that is still active, each with a reinstatement
    item in the Alarm Unit's queue, in a few statements: a feed suspends
    hundreds at once. The suspensions made, in permit id order; their
    letters are the caller's (the feed's go after its commit)."""
    permits = list(
        AlarmPermit.objects.select_for_update(of=("self",))
        .select_related("account")
        .filter(pk__in=list(incidents), status=AlarmPermit.Status.ACTIVE)
        .order_by("pk")
    )
    if not permits:
        return []
    label = Suspension.Reason(reason).label
    suspensions = Suspension.objects.bulk_create(
        Suspension(permit=p, reason=reason, started_on=on, incident_id=incidents[p.pk])
        for p in permits
    )
    for permit in permits:
        permit.status, permit.status_since, permit.status_reason = (
            AlarmPermit.Status.SUSPENDED,
            on,
            label,
        )
    AlarmPermit.objects.bulk_update(permits, ["status", "status_since", "status_reason"])
    work_items_open_many(
        [
            WorkItem(
                kind=REINSTATEMENT_KIND,
                section=Section.ACCOUNT_MAINTENANCE,
                title=f"Permit {permit.number} suspended: reinstate once paid",
                account=permit.account,
                details=f"{label}. A supervisor reinstates the permit once its fees are paid.",
                source_key=permit.number,
            )
            for permit in permits
        ]
    )
    return suspensions


def suspension_letter_send(*, suspension: Suspension, by=None):
    permit = suspension.permit
    return alarm_letter_send(
        account=permit.account,
        kind="alarm_suspended",
        merge={
            "permit_number": permit.number,
            "premise_address": permit.address,
            "reason": suspension.get_reason_display(),
            "suspended_on": suspension.started_on,
        },
        source_key=f"alarm-suspended:{suspension.pk}",
        by=by,
    )


def permits_suspend_past_due(*, on: date, by=None) -> list[str]:
    """Suspend each active permit whose alarm account has fees more than 90
    days past due on ``on``; the permit numbers suspended. Safe to run twice."""
    cutoff = on - timedelta(days=fees.SUSPEND_PAST_DUE_DAYS)
    candidates = list(
        AlarmInvoice.objects.filter(
            due_on__lt=cutoff,
            entry__isnull=False,
            # Any overdue fee on the holder's account counts, one a research
            # found (no permit on the invoice) too.
            account__alarm_permits__status=AlarmPermit.Status.ACTIVE,
        )
        .values_list("account_id", flat=True)
        .distinct()
    )
    owing = past_due_fees(candidates, on, older_than_days=fees.SUSPEND_PAST_DUE_DAYS)
    made = permits_suspend(
        dict.fromkeys(
            AlarmPermit.objects.filter(
                account_id__in=owing, status=AlarmPermit.Status.ACTIVE
            ).values_list("pk", flat=True)
        ),
        reason=Suspension.Reason.PAST_DUE,
        on=on,
    )
    for suspension in made:
        suspension_letter_send(suspension=suspension, by=by)
    return [suspension.permit.number for suspension in made]


@transaction.atomic
def permit_reinstate(*, permit: AlarmPermit, on: date, by, note: str = "") -> AlarmPermit:
    """A supervisor reinstates a suspended permit once its alarm account's
    fees are paid, due yet or not (a 10th burglary false alarm suspends
    with fees just invoiced); a stayed invoice does not count."""
    refuse_future("on", on, "Reinstate on")
    permit = AlarmPermit.objects.select_for_update().select_related("account").get(pk=permit.pk)
    if permit.status != AlarmPermit.Status.SUSPENDED:
        raise ValidationError(f"Permit {permit.number} is not suspended.")
    owed = past_due_fees([permit.account_id], on, older_than_days=None).get(permit.account_id, ZERO)
    if owed > ZERO:
        raise ValidationError(
            f"Permit {permit.number} owes {money_text(owed)} in alarm fees; it is reinstated once paid."
        )
    suspension = permit.suspensions.filter(ended_on__isnull=True).first()
    if suspension is not None:
        suspension.ended_on, suspension.reinstated_by = on, by
        suspension.reinstatement_note = note.strip()[:200]
        suspension.save(update_fields=["ended_on", "reinstated_by", "reinstatement_note"])
    lapsed = permit.expires_on < on
    permit.status = AlarmPermit.Status.EXPIRED if lapsed else AlarmPermit.Status.ACTIVE
    permit.status_since = on
    permit.status_reason = "Reinstated after its term ended" if lapsed else "Reinstated"
    permit.save(update_fields=["status", "status_since", "status_reason"])
    work_item_close_for_source(
        kind=REINSTATEMENT_KIND, source_key=permit.number, closed_by=by, outcome="Reinstated"
    )
    alarm_letter_send(
        account=permit.account,
        kind="alarm_reinstated",
        merge={
            "permit_number": permit.number,
            "premise_address": permit.address,
            "reinstated_on": on,
        },
        source_key=f"alarm-reinstated:{suspension.pk if suspension else permit.pk}:{on}",
        by=by,
    )
    return permit

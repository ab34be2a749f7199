"""Suspension at the 10th burglary false alarm in the window or with fees
more than 90 days past due, and reinstatement by a supervisor once paid."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from alarms.models import AlarmInvoice, AlarmPermit, Incident, Suspension
from alarms.rules import fees
from alarms.selectors.permits import past_due_fees
from alarms.services.letters import alarm_letter_send
from mesa_cs.lib.dates import refuse_future
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.money import ZERO
from staffing.models import Section
from staffing.services import work_item_close_for_source, work_item_open

REINSTATEMENT_KIND = "alarm_reinstatement"


@transaction.atomic
def permit_suspend(
    *,
    permit_id: int,
    reason: str,
    on: date,
    incident: Incident | None = None,
    by=None,
    letter: bool = True,
) -> Suspension | None:
    """Suspend an active permit, with a reinstatement item in the Alarm
    Unit's queue and its letter (``letter=False``: the feed's letters task
    sends it after the commit). None when it is not active (already
    suspended)."""
    permit = AlarmPermit.objects.select_for_update().select_related("account").get(pk=permit_id)
    if permit.status != AlarmPermit.Status.ACTIVE:
        return None
    suspension = Suspension.objects.create(
        permit=permit, reason=reason, started_on=on, incident=incident
    )
    label = Suspension.Reason(reason).label
    permit.status, permit.status_since, permit.status_reason = (
        AlarmPermit.Status.SUSPENDED,
        on,
        label,
    )
    permit.save(update_fields=["status", "status_since", "status_reason"])
    work_item_open(
        kind=REINSTATEMENT_KIND,
        section=Section.ACCOUNT_MAINTENANCE,
        title=f"Permit {permit.number} suspended: reinstate once paid",
        account=permit.account,
        details=f"{label}. A supervisor reinstates the permit once its fees are paid.",
        source_key=permit.number,
    )
    if letter:
        suspension_letter_send(suspension=suspension, by=by)
    return suspension


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
    suspended = []
    for permit_id in AlarmPermit.objects.filter(
        account_id__in=owing, status=AlarmPermit.Status.ACTIVE
    ).values_list("pk", flat=True):
        done = permit_suspend(permit_id=permit_id, reason=Suspension.Reason.PAST_DUE, on=on, by=by)
        if done is not None:
            suspended.append(done.permit.number)
    return suspended


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

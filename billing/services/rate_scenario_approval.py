"""Applying a rate scenario (docs/rate_modelling.md, "Applying a scenario"):
whoever may model its schedules asks for approval; a Supervisor or an
Administrator other than the one who asked approves it in the approvals
inbox, which puts in force, from the scenario's effective date, exactly the
versions that were modelled; or declines it with a reason.

A scenario is applied only on the base it was modelled on: if a schedule's
version in force on the effective date has changed since, the request is
refused and the change must be modelled again, so the council memo and the
rate book never disagree."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from billing.models import RateComponent, RateScenario, RateSchedule, RateVersion
from billing.selectors.rates import user_may_edit_schedule
from billing.services.rate_versions import check_effective, parse_components
from mesa_cs.lib.formatting import day_text
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.roles import Role, user_roles
from staffing.models import Section, WorkItem
from staffing.services import decline_reason, request_decided, work_item_open

Status = RateScenario.Status
IN_FORCE = RateVersion.Status.IN_FORCE
APPROVERS = {Role.SUPERVISOR, Role.ADMINISTRATOR}
WORK_KIND = "rate_scenario_approval"


def work_source(scenario_id: int) -> tuple[str, str]:
    return WORK_KIND, f"rate_scenario:{scenario_id}"


def _lock(scenario_id: int) -> RateScenario:
    scenario = RateScenario.objects.select_for_update().filter(pk=scenario_id).first()
    if scenario is None:
        raise RateScenario.DoesNotExist(f"No rate scenario {scenario_id}.")
    return scenario


def _planned(scenario: RateScenario) -> list[tuple[RateSchedule, RateVersion, list[dict]]]:
    """Each changed schedule (locked), its version in force now on the
    effective date, and the components to put in force; refused when the
    scenario can no longer be applied as modelled."""
    versions = scenario.result.get("versions")
    if not versions:
        raise ValidationError(
            "This scenario was saved before scenarios could be applied; model it again."
        )
    planned = []
    for code in sorted(versions):
        modelled = versions[code]
        schedule = RateSchedule.objects.select_for_update().filter(code=code).first()
        if schedule is None:
            raise ValidationError(f"There is no rate schedule {code} any more.")
        base = (
            RateVersion.objects.filter(
                schedule=schedule, status=IN_FORCE, effective__lte=scenario.effective
            )
            .order_by("-effective")
            .first()
        )
        base_specs = [c.spec for c in base.components.order_by("position")] if base else None
        if (
            base is None
            or base.effective.isoformat() != modelled["base_effective"]
            or base_specs != modelled["base"]
        ):
            raise ValidationError(
                f"The rates of {code} have changed since this scenario was modelled; "
                "model the change again on the rate book as it is now."
            )
        check_effective(schedule, scenario.effective)
        if RateVersion.objects.filter(schedule=schedule, effective=scenario.effective).exists():
            raise ValidationError(
                f"{code} has a draft from {day_text(scenario.effective)} in the rate editor; "
                "discard it first."
            )
        parse_components(modelled["proposed"])
        planned.append((schedule, base, modelled["proposed"]))
    return planned


@transaction.atomic
def rate_scenario_request(*, scenario_id: int, note: str, by) -> RateScenario:
    """Ask for a supervisor's approval: the scenario waits in the approvals
    inbox (and as a high-priority work item). Checked now as it will be when
    approved, so a request that cannot be applied is refused at once."""
    reject_card_numbers(note=note)
    scenario = _lock(scenario_id)
    if scenario.status == Status.REQUESTED:
        raise ValidationError("This scenario is already waiting for approval.")
    if scenario.status == Status.APPLIED:
        raise ValidationError("This scenario has already been applied.")
    codes = sorted(scenario.result.get("versions", {}))
    schedules = list(RateSchedule.objects.filter(code__in=codes))
    if not all(user_may_edit_schedule(by, s) for s in schedules):
        raise ValidationError("You may not ask to change the rates of every schedule it changes.")
    _planned(scenario)
    scenario.status = Status.REQUESTED
    scenario.requested_by, scenario.requested_at = by, timezone.now()
    scenario.request_note = note.strip()
    scenario.decided_by, scenario.decided_at, scenario.decline_reason = None, None, ""
    scenario.full_clean(exclude=["created_by", "requested_by", "decided_by"])
    scenario.save()
    solid_waste = all(s.utility == "solid_waste" for s in schedules)
    kind, source_key = work_source(scenario.pk)
    work_item_open(
        kind=kind,
        section=Section.SOLID_WASTE if solid_waste else Section.ACCOUNT_MAINTENANCE,
        title=f"Approve rate scenario “{scenario.name}” ({', '.join(codes)})",
        details=scenario.request_note,
        priority=WorkItem.Priority.HIGH,
        opened_by=by,
        source_key=source_key,
    )
    return scenario


def _decide(scenario_id: int, by) -> RateScenario:
    scenario = _lock(scenario_id)
    if scenario.status != Status.REQUESTED:
        raise ValidationError("This scenario is not waiting for approval.")
    if not user_roles(by) & APPROVERS:
        raise ValidationError("A Supervisor or an Administrator approves a rate change.")
    if scenario.requested_by_id == by.pk:
        raise ValidationError("Nobody approves their own request; ask another supervisor.")
    return scenario


@transaction.atomic
def rate_scenario_approve(*, scenario_id: int, by) -> list[RateVersion]:
    """Approve and apply: each changed schedule gets a version in force from
    the scenario's effective date holding the modelled prices."""
    scenario = _decide(scenario_id, by)
    now = timezone.now()
    created = []
    for schedule, base, specs in _planned(scenario):
        version = RateVersion.objects.create(
            schedule=schedule,
            effective=scenario.effective,
            status=IN_FORCE,
            started_from=base,
            created_by=scenario.requested_by,
            put_in_force_by=by,
            put_in_force_at=now,
            scenario=scenario,
        )
        RateComponent.objects.bulk_create(
            RateComponent(version=version, position=n, type=s["type"], name=s["name"], spec=s)
            for n, s in enumerate(specs)
        )
        created.append(version)
    codes = ", ".join(v.schedule.code for v in created)
    request_decided(
        scenario,
        status=Status.APPLIED,
        by=by,
        work_item=work_source(scenario.pk),
        outcome=f"Approved: {codes} in force from {day_text(scenario.effective)}",
    )
    return created


@transaction.atomic
def rate_scenario_decline(*, scenario_id: int, by, why: str) -> RateScenario:
    why = decline_reason(why, "the scenario")
    scenario = _decide(scenario_id, by)
    request_decided(
        scenario,
        status=Status.DECLINED,
        by=by,
        work_item=work_source(scenario.pk),
        outcome=f"Declined: {why}",
        why=why,
    )
    return scenario

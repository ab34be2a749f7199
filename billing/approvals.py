"""Billing's kinds in the supervisors' approvals inbox: adjustments above the
approval threshold (``billing.services.adjustments``) and rate scenarios to
apply (``billing.services.rate_scenario_approval``)."""

from __future__ import annotations

from decimal import Decimal

from billing.models import Adjustment, RateScenario
from billing.selectors.rate_models import scenarios_waiting
from billing.services import rate_scenario_approval as scenarios
from billing.services.adjustments import adjustment_approve, adjustment_reject
from mesa_cs.lib.formatting import day_text
from staffing.approvals import ApprovalKind, Pending, full_name, request_kind


def _what(adjustment: Adjustment) -> str:
    utility = f" ({adjustment.get_utility_display()})" if adjustment.utility else ""
    return f"{adjustment.get_reason_display()} adjustment{utility}"


ADJUSTMENTS = request_kind(
    name="adjustment",
    label="Billing adjustment",
    waiting=lambda: Adjustment.objects.filter(status=Adjustment.Status.PENDING),
    what=_what,
    why="note",
    approve=lambda *, pk, by: adjustment_approve(adjustment_id=pk, by=by),
    decline=lambda *, pk, by, why: adjustment_reject(adjustment_id=pk, by=by, why=why),
    work_item=lambda pk: ("adjustment_approval", f"adjustment:{pk}"),
)


def _scenario_pending(scenario: RateScenario) -> Pending:
    codes = ", ".join(sorted(scenario.result.get("versions", {})))
    return Pending(
        kind="rate_scenario",
        pk=scenario.pk,
        what=f"Rate scenario “{scenario.name}” from {day_text(scenario.effective)}",
        requested_by=full_name(scenario.requested_by),
        why=scenario.request_note,
        # The year's revenue change, as the council memo states it.
        amount=Decimal(scenario.result["total"]["change"]),
        since=scenario.requested_at,
        url=scenario.get_absolute_url(),
        place=codes,
    )


RATE_SCENARIOS = ApprovalKind(
    name="rate_scenario",
    label="Rate scenario",
    pending=lambda: [_scenario_pending(s) for s in scenarios_waiting()],
    count=lambda: scenarios_waiting().order_by().count(),
    approve=lambda *, pk, by: scenarios.rate_scenario_approve(scenario_id=pk, by=by),
    decline=lambda *, pk, by, why: scenarios.rate_scenario_decline(scenario_id=pk, by=by, why=why),
    work_item=scenarios.work_source,
)

APPROVALS = (ADJUSTMENTS, RATE_SCENARIOS)

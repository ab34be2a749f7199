"""Billing's kind in the supervisors' approvals inbox: adjustments above the
approval threshold (``billing.services.adjustments``)."""

from __future__ import annotations

from billing.models import Adjustment
from billing.services.adjustments import adjustment_approve, adjustment_reject
from staffing.approvals import request_kind


def _what(adjustment: Adjustment) -> str:
    utility = f" ({adjustment.get_utility_display()})" if adjustment.utility else ""
    return f"{adjustment.get_reason_display()} adjustment{utility}"


APPROVAL = request_kind(
    name="adjustment",
    label="Billing adjustment",
    waiting=lambda: Adjustment.objects.filter(status=Adjustment.Status.PENDING),
    what=_what,
    why="note",
    approve=lambda *, pk, by: adjustment_approve(adjustment_id=pk, by=by),
    decline=lambda *, pk, by, why: adjustment_reject(adjustment_id=pk, by=by, why=why),
    work_item=lambda pk: ("adjustment_approval", f"adjustment:{pk}"),
)

"""Credit Services' kinds in the supervisors' approvals inbox: write-offs
(``credit.services.write_offs``) and arrangements outside the policy that a
representative asked for (``credit.services.arrangements``)."""

from __future__ import annotations

from credit.models import ArrangementRequest, WriteOff
from credit.services.arrangements import (
    ARRANGEMENT_APPROVAL,
    arrangement_request_approve,
    arrangement_request_decline,
    request_key,
)
from credit.services.write_offs import WRITE_OFF_APPROVAL, write_off_approve, write_off_reject
from mesa_cs.lib.formatting import money_text
from staffing.approvals import request_kind

WRITE_OFF = request_kind(
    name="write-off",
    label="Write-off",
    waiting=lambda: WriteOff.objects.filter(status=WriteOff.Status.PENDING),
    what=lambda write_off: "Write-off of uncollectible debt",
    why="reason",
    approve=lambda *, pk, by: write_off_approve(write_off_id=pk, by=by),
    decline=lambda *, pk, by, why: write_off_reject(write_off_id=pk, by=by, why=why),
    work_item=lambda pk: (WRITE_OFF_APPROVAL, f"write-off:{pk}"),
)


def _arrangement_what(request: ArrangementRequest) -> str:
    down = f", {money_text(request.down_payment)} down" if request.down_payment else ""
    return f"Arrangement outside the policy: {request.months} months{down}"


ARRANGEMENT = request_kind(
    name="arrangement",
    label="Arrangement override",
    waiting=lambda: ArrangementRequest.objects.filter(status=ArrangementRequest.Status.PENDING),
    what=_arrangement_what,
    why="reason",
    approve=lambda *, pk, by: arrangement_request_approve(request_id=pk, by=by),
    decline=lambda *, pk, by, why: arrangement_request_decline(request_id=pk, by=by, why=why),
    work_item=lambda pk: (ARRANGEMENT_APPROVAL, request_key(pk)),
)

APPROVALS = (WRITE_OFF, ARRANGEMENT)

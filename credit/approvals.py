"""Credit Services' kind in the supervisors' approvals inbox: write-offs
(``credit.services.write_offs``). An arrangement override is decided by the
supervisor who makes the arrangement, so it never waits."""

from __future__ import annotations

from credit.models import WriteOff
from credit.services.write_offs import WRITE_OFF_APPROVAL, write_off_approve, write_off_reject
from staffing.approvals import request_kind

APPROVAL = request_kind(
    name="write-off",
    label="Write-off",
    waiting=lambda: WriteOff.objects.filter(status=WriteOff.Status.PENDING),
    what=lambda write_off: "Write-off of uncollectible debt",
    why="reason",
    approve=lambda *, pk, by: write_off_approve(write_off_id=pk, by=by),
    decline=lambda *, pk, by, why: write_off_reject(write_off_id=pk, by=by, why=why),
    work_item=lambda pk: (WRITE_OFF_APPROVAL, f"write-off:{pk}"),
)

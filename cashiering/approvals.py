"""Cashiering's kind in the supervisors' approvals inbox: refunds of credit
balances (``cashiering.services.refunds``). Voids and drawer over/short
sign-offs are decided on the cashier's screen, with the supervisor signing
in there, so none of them waits."""

from __future__ import annotations

from cashiering.models import CreditRefund
from cashiering.services.refunds import refund_approve, refund_reject
from staffing.approvals import request_kind

APPROVAL = request_kind(
    name="refund",
    label="Refund",
    waiting=lambda: CreditRefund.objects.filter(status=CreditRefund.Status.PENDING),
    what=lambda refund: "Refund of a credit balance",
    why="reason",
    approve=lambda *, pk, by: refund_approve(refund_id=pk, by=by),
    decline=lambda *, pk, by, why: refund_reject(refund_id=pk, by=by, why=why),
    work_item=lambda pk: ("refund_approval", f"refund:{pk}"),
)

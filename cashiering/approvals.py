"""Cashiering's kinds in the supervisors' approvals inbox: refunds of credit
balances (``services.refunds``), voids a cashier asked for
(``services.corrections``) and drawers closed over or short beyond the
sign-off threshold with no supervisor at the counter (``services.drawers``).
A supervisor signing in at the counter decides a void or a sign-off there
and then; only what nobody decided there waits here."""

from __future__ import annotations

from django.db.models import Prefetch, Sum
from django.urls import reverse

from cashiering.models import CreditRefund, DrawerShift, PaymentAllocation, VoidRequest
from cashiering.services.corrections import VOID_APPROVAL, void_approve, void_decline
from cashiering.services.drawers import (
    SIGN_OFF_APPROVAL,
    shift_sign_off,
    shift_sign_off_decline,
    sign_off_key,
)
from cashiering.services.refunds import refund_approve, refund_reject
from mesa_cs.lib.formatting import day_text
from staffing.approvals import ApprovalKind, Pending, full_name, request_kind

REFUND = request_kind(
    name="refund",
    label="Refund",
    waiting=lambda: CreditRefund.objects.filter(status=CreditRefund.Status.PENDING),
    what=lambda refund: "Refund of a credit balance",
    why="reason",
    approve=lambda *, pk, by: refund_approve(refund_id=pk, by=by),
    decline=lambda *, pk, by, why: refund_reject(refund_id=pk, by=by, why=why),
    work_item=lambda pk: ("refund_approval", f"refund:{pk}"),
)


def _voids_waiting():
    return VoidRequest.objects.filter(status=VoidRequest.Status.PENDING)


def _voids_pending() -> list[Pending]:
    rows = (
        _voids_waiting()
        .select_related("requested_by", "payment__source")
        .annotate(amount=Sum("payment__allocations__amount"))
        .prefetch_related(
            Prefetch(
                "payment__allocations",
                queryset=PaymentAllocation.objects.select_related("account").order_by("pk"),
            )
        )
        .order_by("requested_at", "pk")
    )
    pending = []
    for row in rows:
        first = row.payment.allocations.all()[0]
        pending.append(
            Pending(
                kind="void",
                pk=row.pk,
                what=f"Void of payment {row.payment_id} at {row.payment.source}",
                requested_by=full_name(row.requested_by),
                why=row.reason,
                amount=row.amount,
                since=row.requested_at,
                url=reverse("cashiering:payment", args=[row.payment_id]),
                account_number=first.account.number,
            )
        )
    return pending


VOID = ApprovalKind(
    name="void",
    label="Payment void",
    pending=_voids_pending,
    count=lambda: _voids_waiting().count(),
    approve=lambda *, pk, by: void_approve(request_id=pk, by=by),
    decline=lambda *, pk, by, why: void_decline(request_id=pk, by=by, why=why),
    work_item=lambda pk: (VOID_APPROVAL, f"void:{pk}"),
)


def _sign_offs_waiting():
    return DrawerShift.objects.filter(
        status=DrawerShift.Status.CLOSED,
        sign_off_requested_at__isnull=False,
        signed_off_by__isnull=True,
    )


def _sign_offs_pending() -> list[Pending]:
    rows = (
        _sign_offs_waiting()
        .select_related("source", "cashier")
        .order_by("sign_off_requested_at", "pk")
    )
    return [
        Pending(
            kind="drawer-sign-off",
            pk=shift.pk,
            what=f"Drawer {'over' if shift.difference > 0 else 'short'} "
            f"on {day_text(shift.business_date)}",
            requested_by=full_name(shift.cashier),
            why=shift.difference_reason,
            amount=shift.difference,
            since=shift.sign_off_requested_at,
            place=str(shift.source),
            url=f"{reverse('cashiering:report', args=['over-short'])}"
            f"?start={shift.business_date:%Y-%m-%d}&end={shift.business_date:%Y-%m-%d}",
        )
        for shift in rows
    ]


SIGN_OFF = ApprovalKind(
    name="drawer-sign-off",
    label="Drawer over/short sign-off",
    pending=_sign_offs_pending,
    count=lambda: _sign_offs_waiting().count(),
    approve=lambda *, pk, by: shift_sign_off(shift_id=pk, by=by),
    decline=lambda *, pk, by, why: shift_sign_off_decline(shift_id=pk, by=by, why=why),
    work_item=lambda pk: (SIGN_OFF_APPROVAL, sign_off_key(DrawerShift.objects.get(pk=pk))),
)

APPROVALS = (REFUND, VOID, SIGN_OFF)

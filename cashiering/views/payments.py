from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cashiering.models import CreditRefund, PaymentAllocation, VoidRequest
from cashiering.selectors.counter import payment_shown, payment_void_requests
from cashiering.services import corrections as correction_services
from cashiering.services import refunds as refund_services
from mesa_cs.lib.roles import LEADS, Area, allow


@allow(Area.CASHIERING)
def payment_detail(request, pk):
    payment = payment_shown(pk)
    asked = payment_void_requests(payment)
    return render(
        request,
        "cashiering/payment.html",
        {
            "payment": payment,
            "void_requests": asked,
            "void_waits": any(row.status == VoidRequest.Status.PENDING for row in asked),
        },
    )


@allow(Area.CASHIERING)
@require_POST
def payment_void_view(request, pk):
    """Void now with a supervisor signing in at the counter, or, with no
    sign-in, ask for the void in the supervisors' approvals inbox."""
    username = request.POST.get("supervisor", "").strip()
    reason = request.POST.get("reason", "")
    try:
        if not username:
            correction_services.void_request(
                payment_id=pk, reason=reason, requested_by=request.user
            )
            messages.warning(
                request,
                "The void waits for a supervisor's approval; the payment stands until then.",
            )
            return redirect("cashiering:payment", pk=pk)
        supervisor = authenticate(
            request, username=username, password=request.POST.get("password", "")
        )
        if supervisor is None:
            messages.error(request, "That supervisor sign-in is not right.")
            return redirect("cashiering:payment", pk=pk)
        correction_services.payment_void(payment_id=pk, supervisor=supervisor, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Payment voided; hand the money back.")
    return redirect("cashiering:payment", pk=pk)


@allow(Area.CASHIERING)
@require_POST
def payment_transfer_view(request, pk):
    from accounts.selectors import account_by_number

    allocation = get_object_or_404(
        PaymentAllocation, pk=request.POST.get("allocation"), payment_id=pk
    )
    account = account_by_number(request.POST.get("account", "").strip())
    try:
        if account is None:
            raise ValidationError("Enter the account number the payment belongs to.")
        correction_services.payment_transfer(
            allocation_id=allocation.pk,
            to_account=account,
            amount=None,
            reason=request.POST.get("reason", ""),
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Payment moved to {account.number}; both accounts show it.")
    return redirect("cashiering:payment", pk=pk)


@allow(Area.CASHIERING)
def refunds(request):
    from accounts.selectors import account_by_number

    if request.method == "POST":
        account = account_by_number(request.POST.get("account", "").strip())
        try:
            if account is None:
                raise ValidationError("Enter the account number.")
            refund_services.refund_request(
                account=account,
                amount=Decimal(request.POST.get("amount") or "0"),
                reason=request.POST.get("reason", ""),
                requested_by=request.user,
            )
        except (ValidationError, ArithmeticError) as exc:
            messages.error(
                request, " ".join(getattr(exc, "messages", ["Enter the amount as a number."]))
            )
        else:
            messages.success(request, "Refund requested; a supervisor approves it.")
        return redirect("cashiering:refunds")
    return render(
        request,
        "cashiering/refunds.html",
        {
            "refunds": CreditRefund.objects.select_related("account", "requested_by", "decided_by")[
                :100
            ]
        },
    )


@allow(Area.CASHIERING, roles=LEADS)
@require_POST
def refund_decide(request, pk, decision):
    get_object_or_404(CreditRefund, pk=pk)  # a missing refund is a 404, not a 500
    try:
        if decision == "approve":
            refund_services.refund_approve(refund_id=pk, by=request.user)
        elif decision == "reject":
            refund_services.refund_reject(
                refund_id=pk, by=request.user, why=request.POST.get("why", "")
            )
        else:
            raise Http404("No such decision.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Refund decided.")
    return redirect("cashiering:refunds")

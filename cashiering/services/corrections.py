"""Corrections of payments. None edits or deletes a posted entry."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, JournalEntry
from accounts.services import entry_reverse, transfer_post
from cashiering.models import DrawerShift, Payment, PaymentAllocation, VoidRequest
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import ZERO, to_money
from mesa_cs.lib.roles import Role, user_roles
from staffing.models import Section
from staffing.services import decline_reason, request_decided, work_item_open

VOID_APPROVAL = "void_approval"  # the work item a void request opens


def _is_supervisor(user) -> bool:
    return bool(user_roles(user) & {Role.SUPERVISOR, Role.ADMINISTRATOR})


def _voidable(payment_id: int) -> Payment:
    """The payment, locked, if it can still be voided: posted, taken today, in
    a shift still open (afterwards the money is in a closed count)."""
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.status != Payment.Status.POSTED:
        raise ValidationError(f"This payment is already {payment.get_status_display().lower()}.")
    # The shift's lock orders this against the drawer's close.
    shift = DrawerShift.objects.select_for_update().filter(pk=payment.shift_id).first()
    if (
        shift is None
        or shift.status != DrawerShift.Status.OPEN
        or payment.received_on != timezone.localdate()
    ):
        raise ValidationError(
            "Only a payment taken today in a shift still open can be voided; "
            "otherwise transfer it or treat it as a returned payment."
        )
    return payment


def _void_key(request_id: int) -> str:
    return f"void:{request_id}"


@transaction.atomic
def void_request(*, payment_id: int, reason: str, requested_by) -> VoidRequest:
    """Ask a supervisor to void a payment: it waits in the approvals inbox
    (and the Business Office queue) until one decides it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the payment is voided."})
    reject_card_numbers(reason=reason)
    payment = _voidable(payment_id)
    if payment.void_requests.filter(status=VoidRequest.Status.PENDING).exists():
        raise ValidationError("A void of this payment already waits for a supervisor.")
    request = VoidRequest.objects.create(
        payment=payment, reason=reason[:200], requested_by=requested_by
    )
    total = sum((a.amount for a in payment.allocations.all()), ZERO)
    work_item_open(
        kind=VOID_APPROVAL,
        section=Section.BUSINESS_OFFICE,
        title=f"Approve the void of payment {payment.pk} ({money_text(total)}, {payment.source})",
        account=payment.allocations.select_related("account").first().account,
        details=reason,
        opened_by=requested_by,
        source_key=_void_key(request.pk),
    )
    return request


def _pending_void(request_id: int, by) -> VoidRequest:
    request = VoidRequest.objects.select_for_update().get(pk=request_id)
    if request.status != VoidRequest.Status.PENDING:
        raise ValidationError("This void has already been decided.")
    if request.requested_by_id == by.pk:
        raise ValidationError("Nobody approves their own void; ask another supervisor.")
    if not _is_supervisor(by):
        raise ValidationError("A supervisor decides voids.")
    return request


@transaction.atomic
def void_approve(*, request_id: int, by) -> Payment:
    request = _pending_void(request_id, by)
    return payment_void(payment_id=request.payment_id, supervisor=by, reason=request.reason)


@transaction.atomic
def void_decline(*, request_id: int, by, why: str) -> VoidRequest:
    why = decline_reason(why, "the void")
    request = _pending_void(request_id, by)
    request_decided(
        request,
        status=VoidRequest.Status.DECLINED,
        by=by,
        work_item=(VOID_APPROVAL, _void_key(request.pk)),
        outcome=f"Declined: {why}",
        why=why,
    )
    return request


@transaction.atomic
def payment_void(*, payment_id: int, supervisor, reason: str) -> Payment:
    """Void a counter payment: only in its own open shift, the same day, with
    a supervisor's approval. Its entries are reversed; the money goes back. A
    void the cashier asked for is approved by it, whichever page it is done on."""
    if not _is_supervisor(supervisor):
        raise ValidationError("A void needs a supervisor's approval.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the payment is voided."})
    reject_card_numbers(reason=reason)
    payment = _voidable(payment_id)
    asked = list(payment.void_requests.filter(status=VoidRequest.Status.PENDING))
    if any(request.requested_by_id == supervisor.pk for request in asked):
        raise ValidationError("Nobody approves their own void; ask another supervisor.")
    today = timezone.localdate()
    for allocation in payment.allocations.select_related("entry"):
        entry_reverse(
            entry=allocation.entry,
            reason=f"voided: {reason}",
            effective_on=today,
            created_by=supervisor,
        )
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.VOIDED)
    for request in asked:
        request_decided(
            request,
            status=VoidRequest.Status.APPROVED,
            by=supervisor,
            work_item=(VOID_APPROVAL, _void_key(request.pk)),
            outcome="Approved: voided",
        )
    payment.refresh_from_db()
    return payment


@transaction.atomic
def payment_transfer(
    *, allocation_id: int, to_account: Account, amount: Decimal | None, reason: str, by
) -> JournalEntry:
    """Move a misapplied payment (or part of it) to the right account; both
    accounts' histories show the transfer with its reason."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the payment is moved."})
    reject_card_numbers(reason=reason)
    allocation = PaymentAllocation.objects.select_related("account", "payment").get(
        pk=allocation_id
    )
    if allocation.payment.status != Payment.Status.POSTED:
        raise ValidationError("Only a posted payment can be transferred.")
    amount = to_money(amount if amount is not None else allocation.amount)
    if not 0 < amount <= allocation.amount:
        raise ValidationError(
            {"amount": f"Transfer between $0.01 and {money_text(allocation.amount)}."}
        )
    return transfer_post(
        from_account=allocation.account,
        to_account=to_account,
        amount=amount,
        effective_on=timezone.localdate(),
        reason=f"payment {allocation.payment_id} misapplied: {reason.strip()}",
        created_by=by,
    )

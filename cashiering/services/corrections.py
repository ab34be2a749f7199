"""Corrections of payments. None edits or deletes a posted entry."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, JournalEntry
from accounts.services import entry_reverse, transfer_post
from cashiering.models import DrawerShift, Payment, PaymentAllocation
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import to_money
from mesa_cs.lib.roles import Role, user_roles


@transaction.atomic
def payment_void(*, payment_id: int, supervisor, reason: str) -> Payment:
    """Void a counter payment: only in its own open shift, the same day, with
    a supervisor's approval. Its entries are reversed; the money goes back."""
    if not user_roles(supervisor) & {Role.SUPERVISOR, Role.ADMINISTRATOR}:
        raise ValidationError("A void needs a supervisor's approval.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the payment is voided."})
    reject_card_numbers(reason=reason)
    payment = (
        Payment.objects.select_for_update(of=("self",)).select_related("shift").get(pk=payment_id)
    )
    if payment.status != Payment.Status.POSTED:
        raise ValidationError(f"This payment is already {payment.get_status_display().lower()}.")
    today = timezone.localdate()
    if (
        payment.shift is None
        or payment.shift.status != DrawerShift.Status.OPEN
        or payment.received_on != today
    ):
        raise ValidationError(
            "Only a payment taken today in a shift still open can be voided; "
            "otherwise transfer it or treat it as a returned payment."
        )
    for allocation in payment.allocations.select_related("entry"):
        entry_reverse(
            entry=allocation.entry,
            reason=f"voided: {reason}",
            effective_on=today,
            created_by=supervisor,
        )
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.VOIDED)
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

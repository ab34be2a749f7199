from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import get_object_or_404

from accounts.models import AccountFlag, ServiceAgreement
from accounts.rules.scanline import parse_scan_line
from accounts.selectors import account_aging, account_by_number
from accounts.selectors.accounts import current_flags
from accounts.selectors.ledger import account_balance_after
from accounts.selectors.letters import letter_recipient
from cashiering.models import DrawerShift, Payment, PaymentAllocation, VoidRequest
from mesa_cs.lib.money import ZERO


def open_shift_for(user) -> DrawerShift | None:
    return (
        DrawerShift.objects.filter(cashier=user, status=DrawerShift.Status.OPEN)
        .select_related("source")
        .first()
    )


def account_at_counter(text: str) -> dict | None:
    """What a cashier must see before taking money: amount due, past due,
    disconnect status and whether checks are refused."""
    text = (text or "").strip()
    scanned = parse_scan_line(text)
    account = account_by_number(scanned[0] if scanned else text.replace(" ", ""))
    if account is None:
        return None
    aging = account_aging(account.pk)
    flags = current_flags(account)
    return {
        "account": account,
        "amount_due": max(aging.balance, 0),
        "past_due": aging.past_due,
        "credit": aging.credit,
        "scanned_amount": scanned[1] if scanned else None,
        "disconnected": account.agreements.filter(
            status=ServiceAgreement.Status.DISCONNECTED
        ).exists(),
        "certified_only": any(f.kind == AccountFlag.Kind.CERTIFIED_FUNDS_ONLY for f in flags),
    }


def shift_payments(shift: DrawerShift):
    return (
        Payment.objects.filter(shift=shift)
        .prefetch_related("tenders", "allocations__account")
        .order_by("-received_at")
    )


def payment_shown(pk: int) -> Payment:
    """A payment with what its receipt and detail page show, or 404."""
    return get_object_or_404(
        Payment.objects.select_related("source", "shift", "created_by").prefetch_related(
            "tenders", "allocations__account"
        ),
        pk=pk,
    )


def payment_void_requests(payment: Payment) -> list[VoidRequest]:
    """The voids asked for a payment, newest first, with who asked and decided."""
    return list(payment.void_requests.select_related("requested_by", "decided_by"))


@dataclass(frozen=True)
class ReceiptLine:
    allocation: PaymentAllocation
    name: str
    service_address: str
    balance_after: Decimal


@dataclass(frozen=True)
class Receipt:
    """What a receipt (80 mm page and PDF) prints."""

    payment: Payment
    lines: list[ReceiptLine]
    cashier: str

    @property
    def customer(self) -> ReceiptLine | None:
        return self.lines[0] if self.lines else None

    @property
    def total_paid(self) -> Decimal:
        return sum((line.allocation.amount for line in self.lines), ZERO)

    @property
    def total_tendered(self) -> Decimal:
        return sum((t.amount for t in self.payment.tenders.all()), ZERO)

    @property
    def void(self) -> bool:
        return self.payment.status == Payment.Status.VOIDED


def receipt_for(pk: int) -> Receipt:
    """A payment's receipt, or 404: each account paid with its customer,
    service address and the balance once the payment had posted."""
    payment = payment_shown(pk)
    lines = []
    for allocation in payment.allocations.all():
        recipient = letter_recipient(allocation.account, payment.received_on)
        lines.append(
            ReceiptLine(
                allocation=allocation,
                name=recipient.name,
                service_address=recipient.service_address,
                balance_after=account_balance_after(allocation.account_id, allocation.entry_id),
            )
        )
    user = payment.created_by
    return Receipt(
        payment=payment,
        lines=lines,
        cashier=(user.get_full_name() or user.get_username()) if user else "",
    )

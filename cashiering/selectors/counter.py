from __future__ import annotations

from django.shortcuts import get_object_or_404

from accounts.models import AccountFlag, ServiceAgreement
from accounts.rules.scanline import parse_scan_line
from accounts.selectors import account_aging, account_by_number
from accounts.selectors.accounts import current_flags
from cashiering.models import DrawerShift, Payment


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
        Payment.objects.select_related("source", "created_by").prefetch_related(
            "tenders", "allocations__account"
        ),
        pk=pk,
    )

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accounts.models import JournalEntry
from accounts.selectors import account_by_number


def same_month_last_year(number: str, end: date, total: Decimal) -> dict | None:
    """The account's bill dated in the same month a year before ``end``, and
    how ``total`` compares with it."""
    account = account_by_number(number)
    if account is None:
        return None
    entry = (
        JournalEntry.objects.filter(
            account=account,
            kind=JournalEntry.Kind.BILL,
            effective_on__year=end.year - 1,
            effective_on__month=end.month,
            reversed_by__isnull=True,
        )
        .order_by("-effective_on")
        .first()
    )
    if entry is None:
        return {"account": account, "entry": None}
    amount = sum(leg.amount for leg in entry.legs.filter(account=account))
    return {"account": account, "entry": entry, "amount": amount, "difference": total - amount}


def bills_for_account(account, limit: int = 36):
    from .models import Bill

    return Bill.objects.filter(account=account).order_by("-period_end", "-pk")[:limit]

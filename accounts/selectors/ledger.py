"""Reads of the ledger: balances, open items, aging and history, all computed
from the legs (nothing is stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, Q, Sum
from django.utils import timezone

from accounts.models import GLAccount, JournalEntry, JournalLeg
from mesa_cs.lib.dates import today as mesa_today
from mesa_cs.lib.money import ZERO

# Open charges by days past their own due date: "current" is not yet due,
# so past due is exactly the sum of the other buckets.
AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "over 90")
AGING_LABELS = {
    "current": "Current",
    "1-30": "1–30 days",
    "31-60": "31–60 days",
    "61-90": "61–90 days",
    "over 90": "Over 90 days",
}


def _receivable_legs(account_id: int):
    return JournalLeg.objects.filter(
        account_id=account_id, gl_account__purpose=GLAccount.Purpose.RECEIVABLE
    )


def account_balance(account_id: int, as_of: date | None = None) -> Decimal:
    legs = _receivable_legs(account_id)
    if as_of is not None:
        legs = legs.filter(entry__effective_on__lte=as_of)
    return legs.aggregate(total=Sum("amount"))["total"] or ZERO


def deposit_liability(account_id: int) -> tuple[Decimal, Decimal]:
    """(what the account's deposits add up to on customer deposits held, the
    part of it billed but not yet paid)."""
    total = JournalLeg.objects.filter(
        account_id=account_id, gl_account__purpose=GLAccount.Purpose.DEPOSITS
    ).aggregate(total=Sum("amount"))["total"]
    liability = -(total or ZERO)
    if not liability:
        return ZERO, ZERO
    deposit_entries = set(
        JournalEntry.objects.filter(
            account_id=account_id, kind=JournalEntry.Kind.DEPOSIT
        ).values_list("pk", flat=True)
    )
    unpaid = sum(
        (
            item.open_amount
            for item in receivable_open_items(account_id)
            if item.entry_id in deposit_entries
        ),
        ZERO,
    )
    return liability, min(unpaid, liability)


def deposit_held(account_id: int) -> Decimal:
    """The deposit the customer has paid and the City holds."""
    liability, unpaid = deposit_liability(account_id)
    return liability - unpaid


@dataclass(frozen=True)
class OpenItem:
    entry_id: int
    effective_on: date
    due_on: date
    gl_account: GLAccount
    service_agreement_id: int | None
    open_amount: Decimal


def standing_on(as_of: date | None, prefix: str = "") -> Q:
    """Entries not cancelled by a reversal as of ``as_of``: a bill reversed on
    the 23rd was owed on the 22nd. Reversals themselves are left out by the
    callers; with the entry they reverse they cancel out."""
    if as_of is None:
        return Q(**{f"{prefix}reversed_by__isnull": True})
    return Q(**{f"{prefix}reversed_by__isnull": True}) | Q(
        **{f"{prefix}reversed_by__effective_on__gt": as_of}
    )


def receivable_open_items(account_id: int, as_of: date | None = None) -> list[OpenItem]:
    """What is still owed, charge by charge, oldest first.

    Credits (payments, adjustments, transfers in) pay the oldest charges
    first. A reversed entry and its reversal cancel out, so a returned payment
    leaves the original charges owed again at their original age, and a
    cancelled bill leaves no trace in the aging.
    """
    return receivable_open_items_many([account_id], as_of=as_of).get(account_id, [])


def receivable_open_items_many(
    account_ids: list[int], as_of: date | None = None
) -> dict[int, list[OpenItem]]:
    """``receivable_open_items`` for many accounts in one query."""
    legs = (
        JournalLeg.objects.filter(
            account_id__in=account_ids, gl_account__purpose=GLAccount.Purpose.RECEIVABLE
        )
        .filter(entry__reverses__isnull=True)
        .filter(standing_on(as_of, "entry__"))
        .values_list(
            "account_id",
            "entry_id",
            "entry__effective_on",
            "entry__due_on",
            "gl_account",
            "service_agreement_id",
            "amount",
        )
        .order_by("account_id", "entry__effective_on", "entry_id", "pk")
    )
    if as_of is not None:
        legs = legs.filter(entry__effective_on__lte=as_of)
    by_account: dict[int, list[tuple]] = {}
    for row in legs:
        by_account.setdefault(row[0], []).append(row[1:])
    gl_accounts = GLAccount.objects.in_bulk(
        {row[3] for rows in by_account.values() for row in rows}
    )
    result = {}
    for account_id, rows in by_account.items():
        credit = -sum((row[5] for row in rows if row[5] < 0), ZERO)
        items = []
        for entry_id, effective_on, due_on, gl_id, sa_id, amount in rows:
            if amount <= 0:
                continue
            applied = min(amount, credit)
            credit -= applied
            if amount > applied:
                items.append(
                    OpenItem(
                        entry_id,
                        effective_on,
                        due_on or effective_on,
                        gl_accounts[gl_id],
                        sa_id,
                        amount - applied,
                    )
                )
        result[account_id] = items
    return result


def aging_bucket(due_on: date, as_of: date) -> str:
    """The bucket of a charge due on ``due_on``, seen on ``as_of``: current
    until its due date has passed, then by days past due."""
    late = (as_of - due_on).days
    if late <= 0:
        return "current"
    return AGING_BUCKETS[min((late + 29) // 30, 4)]


def aging_bucket_index_sql(due_on: str, as_of: str) -> str:
    """``aging_bucket`` as a SQL expression giving the index in AGING_BUCKETS,
    for reports that age every account in one statement (credit/selectors/reports.py);
    tests/accounts/test_aging.py holds the two to the same answers."""
    late = f"({as_of}::date - {due_on})"
    return f"(CASE WHEN {late} <= 0 THEN 0 ELSE LEAST(({late} + 29) / 30, 4) END)"


@dataclass(frozen=True)
class Aging:
    balance: Decimal
    past_due: Decimal
    buckets: dict[str, Decimal]

    @property
    def credit(self) -> Decimal:
        return -self.balance if self.balance < ZERO else ZERO


def aging_of_items(items: list[OpenItem], as_of: date) -> tuple[Decimal, dict[str, Decimal]]:
    """(past due, buckets) of open items: the one place both are computed, so
    past due is always the sum of the past-due buckets."""
    buckets = dict.fromkeys(AGING_BUCKETS, ZERO)
    for item in items:
        buckets[aging_bucket(item.due_on, as_of)] += item.open_amount
    past_due = sum((v for k, v in buckets.items() if k != "current"), ZERO)
    return past_due, buckets


def account_aging(account_id: int, as_of: date | None = None) -> Aging:
    """Balance, past due (open charges whose due date has passed) and the open
    amount by days past each charge's own due date."""
    as_of = as_of or timezone.localdate()
    past_due, buckets = aging_of_items(receivable_open_items(account_id, as_of=as_of), as_of)
    return Aging(
        balance=account_balance(account_id, as_of=as_of), past_due=past_due, buckets=buckets
    )


# With thousands of ids in one IN list PostgreSQL picks a plan some twenty
# times slower (credit/services/collections.py), so many accounts are read in
# slices.
OPEN_ITEMS_SLICE = 500


def past_due_many(account_ids: list[int], as_of: date) -> dict[int, Decimal]:
    """``account_aging(...).past_due`` for many accounts (those with nothing
    past due are left out), read in slices."""
    result = {}
    for start in range(0, len(account_ids), OPEN_ITEMS_SLICE):
        part = account_ids[start : start + OPEN_ITEMS_SLICE]
        for account_id, items in receivable_open_items_many(part, as_of=as_of).items():
            past_due, _ = aging_of_items(items, as_of)
            if past_due > ZERO:
                result[account_id] = past_due
    return result


@dataclass(frozen=True)
class HistoryRow:
    entry_id: int
    effective_on: date
    kind: str
    kind_label: str
    description: str
    amount: Decimal
    # None for an entry dated after today (an arrangement's installment):
    # scheduled, not yet owed, so it is not in any balance until its day.
    running_balance: Decimal | None
    reversed: bool

    @property
    def scheduled(self) -> bool:
        return self.running_balance is None


def account_history(account_id: int) -> list[HistoryRow]:
    """Every entry touching the account's receivable in posting order (the
    entry's id), with the account's share of it (charges positive, credits
    negative) and the running balance: each row's balance is what the account
    owed when that entry was posted, whatever dates entries posted the same
    day or back- or forward-dated carry. Entries dated after today are listed
    as scheduled, outside the running balance, so the last balance is the
    account's balance today."""
    today = mesa_today()
    rows = (
        _receivable_legs(account_id)
        .values("entry_id", "entry__effective_on", "entry__kind", "entry__description")
        .annotate(amount=Sum("amount"), reversed_by=Max("entry__reversed_by__id"))
        .order_by("entry_id")
    )
    labels = dict(JournalEntry.Kind.choices)
    running, history = ZERO, []
    for row in rows:
        scheduled = row["entry__effective_on"] > today
        if not scheduled:
            running += row["amount"]
        history.append(
            HistoryRow(
                entry_id=row["entry_id"],
                effective_on=row["entry__effective_on"],
                kind=row["entry__kind"],
                kind_label=labels.get(row["entry__kind"], row["entry__kind"]),
                description=row["entry__description"],
                amount=row["amount"],
                running_balance=None if scheduled else running,
                reversed=row["reversed_by"] is not None,
            )
        )
    return history


def ledger_unbalanced_entries() -> list[int]:
    """Entries whose legs do not sum to zero: always empty; for checks."""
    return list(
        JournalLeg.objects.values("entry_id")
        .annotate(total=Sum("amount"))
        .filter(~Q(total=0))
        .values_list("entry_id", flat=True)
    )

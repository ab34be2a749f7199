"""Reads of the ledger: balances, open items, aging and history, all computed
from the legs (nothing is stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import GLAccount, JournalEntry, JournalLeg
from mesa_cs.lib.dates import today as mesa_today
from mesa_cs.lib.money import ZERO

# Open charges by days past their own due date: "current" is not yet due,
# so past due is exactly the sum of the other buckets. Each bucket runs to
# the day past due given (None: no end); the Python ``aging_bucket`` and the
# SQL ``aging_bucket_index_sql`` are both read off this one table.
AGING_BUCKET_ENDS = {"current": 0, "1-30": 30, "31-60": 60, "61-90": 90, "over 90": None}
AGING_BUCKETS = tuple(AGING_BUCKET_ENDS)
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


def account_balance_after(account_id: int, entry_id: int) -> Decimal:
    """The balance once the entry had posted (entries are numbered as they
    post): what a receipt shows as the balance after the payment."""
    total = _receivable_legs(account_id).filter(entry_id__lte=entry_id).aggregate(t=Sum("amount"))
    return total["t"] or ZERO


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


# What counts as open, and from which due date, in the three forms the
# readers need: Q objects (the open items), SQL on an entry alias and the SQL
# set of entries left out (the set-wise aging in accounts.selectors.aging).
# tests/credit/test_aging_one_rule.py holds them to the same figures.


def open_item_entries(as_of: date | None, prefix: str = "") -> Q:
    """Entries whose receivable legs make up the open items on ``as_of``:
    dated by then, not a reversal, and not reversed by then."""
    q = Q(**{f"{prefix}reverses__isnull": True}) & standing_on(as_of, prefix)
    if as_of is not None:
        q &= Q(**{f"{prefix}effective_on__lte": as_of})
    return q


def charge_due_on(prefix: str = "entry__") -> Coalesce:
    """A charge is due on its entry's due date, or the day it was posted."""
    return Coalesce(f"{prefix}due_on", f"{prefix}effective_on")


_ENTRY = JournalEntry._meta.db_table


def charge_due_on_sql(entry: str) -> str:
    """``charge_due_on`` on the entry aliased ``entry``."""
    return f"COALESCE({entry}.due_on, {entry}.effective_on)"


def open_item_entry_sql(entry: str, as_of: str) -> str:
    """``open_item_entries`` as a condition on the entry aliased ``entry``."""
    return (
        f"{entry}.effective_on <= {as_of} AND {entry}.reverses_id IS NULL"
        f" AND NOT EXISTS (SELECT 1 FROM {_ENTRY} y WHERE y.reverses_id IS NOT NULL"
        f" AND y.reverses_id = {entry}.id AND y.effective_on <= {as_of})"
    )


def left_out_entries_sql(as_of: str) -> str:
    """The entries ``open_item_entries`` leaves out on ``as_of``, as a SELECT
    of ids: those dated after it, reversals, and those reversed by then. A
    query can sum every leg (no join) and take these off."""
    return (
        f"SELECT id FROM {_ENTRY} WHERE effective_on > {as_of} OR reverses_id IS NOT NULL"
        f" UNION SELECT reverses_id FROM {_ENTRY}"
        f" WHERE reverses_id IS NOT NULL AND effective_on <= {as_of}"
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
        .filter(open_item_entries(as_of, "entry__"))
        .annotate(due=charge_due_on())
        .values_list(
            "account_id",
            "entry_id",
            "entry__effective_on",
            "due",
            "gl_account",
            "service_agreement_id",
            "amount",
        )
        .order_by("account_id", "entry__effective_on", "entry_id", "pk")
    )
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
                        due_on,
                        gl_accounts[gl_id],
                        sa_id,
                        amount - applied,
                    )
                )
        result[account_id] = items
    return result


def aging_bucket_index(days_late: int) -> int:
    """The index in AGING_BUCKETS of a charge ``days_late`` past its due date."""
    for index, last in enumerate(AGING_BUCKET_ENDS.values()):
        if last is None or days_late <= last:
            return index
    raise AssertionError("the last aging bucket has no end")


def aging_bucket(due_on: date, as_of: date) -> str:
    """The bucket of a charge due on ``due_on``, seen on ``as_of``: current
    until its due date has passed, then by days past due."""
    return AGING_BUCKETS[aging_bucket_index((as_of - due_on).days)]


def aging_bucket_index_sql(due_on: str, as_of: str) -> str:
    """``aging_bucket_index`` as a SQL expression, for the set-wise aging
    (accounts.selectors.aging); tests/accounts/test_aging.py holds the two to
    the same answers."""
    late = f"({as_of}::date - {due_on})"
    whens = " ".join(
        f"WHEN {late} <= {last} THEN {index}"
        for index, last in enumerate(AGING_BUCKET_ENDS.values())
        if last is not None
    )
    return f"(CASE {whens} ELSE {len(AGING_BUCKETS) - 1} END)"


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


def ledger_unbalanced_entries(from_entry_id: int | None = None) -> list[int]:
    """Entries (from ``from_entry_id`` on) breaking the rule the database
    checks at commit (``accounts.services.ledger.legs_balanced``): fewer than
    two legs, or legs not summing to zero. Always empty; for checks of data
    loaded with the triggers off."""
    entries = JournalEntry.objects.all()
    if from_entry_id is not None:
        entries = entries.filter(pk__gte=from_entry_id)
    return list(
        entries.annotate(leg_count=Count("legs"), total=Sum("legs__amount", default=ZERO))
        .filter(Q(leg_count__lt=2) | ~Q(total=0))
        .order_by("pk")
        .values_list("pk", flat=True)
    )

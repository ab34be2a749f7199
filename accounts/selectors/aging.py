"""The aging of every account at once, set-wise, for reports and batch runs:
the figures of ``accounts.selectors.ledger`` (open items, oldest charge paid
first, each aged from its own due date) without reading accounts one by one.
The rule pieces (what counts as open, which due date, which bucket) come from
ledger.py; tests/credit/test_aging_one_rule.py holds the totals here to
``account_aging`` summed over random ledgers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Max, Min, Q, Sum

from accounts.models import Account, GLAccount, JournalEntry, JournalLeg
from accounts.selectors.ledger import (
    AGING_BUCKET_ENDS,
    AGING_BUCKETS,
    aging_bucket_index_sql,
    charge_due_on,
    charge_due_on_sql,
    left_out_entries_sql,
    open_item_entries,
    open_item_entry_sql,
    past_due_many,
)
from mesa_cs.lib.money import ZERO

# Open charges on the last RECENT_DAYS are read for every account that owes
# something in one statement; an account that owes more than those charges
# (its debt is older) has the rest read from its whole history, DEEP_SLICE
# accounts a statement (with thousands of ids PostgreSQL picks a plan some
# twenty times slower, see credit/services/collections.py). Read at call
# time, so a test can make both small.
RECENT_DAYS = 60
DEEP_SLICE = 500

_LEG = JournalLeg._meta.db_table
_ENTRY = JournalEntry._meta.db_table
_ACCOUNT = Account._meta.db_table

# Balance as of the date for every account that owes something, with its
# class. The receivable legs are summed without their entries (the costly
# join); the legs of the entries the open items leave out are then taken off.
_BALANCES_SQL = f"""
SELECT t.account_id, a.customer_class, t.total - COALESCE(s.total, 0)
  FROM (SELECT account_id, SUM(amount) AS total FROM {_LEG}
         WHERE gl_account_id = ANY(%(receivable)s::bigint[]) AND account_id IS NOT NULL
         GROUP BY account_id) t
  JOIN {_ACCOUNT} a ON a.id = t.account_id
  LEFT JOIN (SELECT account_id, SUM(amount) AS total FROM {_LEG}
              WHERE gl_account_id = ANY(%(receivable)s::bigint[]) AND account_id IS NOT NULL
                AND entry_id IN ({left_out_entries_sql("%(as_of)s")})
              GROUP BY account_id) s ON s.account_id = t.account_id
 WHERE t.total - COALESCE(s.total, 0) > 0
"""

# The charges (positive receivable legs) of the given entries, newest first
# per account, with what is charged from the newest down to each: what is
# still open of a charge is the balance left after the newer ones, up to
# the charge (credits pay the oldest charges first, so the newest are open).
_CHARGES_NEWEST_FIRST = f"""
SELECT b.account_id, b.customer_class, b.balance, l.gl_account_id, l.amount,
       {aging_bucket_index_sql(charge_due_on_sql("e"), "%(as_of)s")} AS bucket,
       SUM(l.amount) OVER (PARTITION BY b.account_id
                           ORDER BY e.effective_on DESC, e.id DESC, l.id DESC) AS through,
       SUM(l.amount) OVER (PARTITION BY b.account_id) AS charged
  FROM unnest(%(ids)s::bigint[], %(balances)s::numeric[], %(classes)s::text[])
       AS b(account_id, balance, customer_class)
  JOIN {_LEG} l ON l.account_id = b.account_id
  JOIN {_ENTRY} e ON e.id = l.entry_id
 WHERE l.amount > 0 AND l.gl_account_id = ANY(%(receivable)s::bigint[])
   AND e.effective_on <= %(until)s AND e.effective_on > %(after)s
   AND {open_item_entry_sql("e", "%(as_of)s")}
"""

# The open amounts of the last RECENT_DAYS by class, GL account and bucket,
# then (the rows with an account) what each account was charged in them.
_OPEN_SQL = f"""
WITH charges AS MATERIALIZED ({_CHARGES_NEWEST_FIRST})
SELECT customer_class, gl_account_id, bucket,
       SUM(LEAST(amount, balance - (through - amount))), NULL::bigint, NULL::numeric
  FROM charges WHERE balance > through - amount
 GROUP BY customer_class, gl_account_id, bucket
UNION ALL
SELECT DISTINCT NULL, NULL::bigint, NULL::int, NULL::numeric, account_id, charged FROM charges
"""

# The open amounts of older charges, for accounts owing more than the last
# RECENT_DAYS charged (their balance here is what those left over).
_OLDER_SQL = f"""
SELECT customer_class, gl_account_id, bucket, SUM(LEAST(amount, balance - (through - amount)))
  FROM ({_CHARGES_NEWEST_FIRST}) charges
 WHERE balance > through - amount
 GROUP BY customer_class, gl_account_id, bucket
"""


def receivable_aging_totals(as_of: date) -> dict[tuple[str, int], list[Decimal]]:
    """The open amounts on ``as_of`` of every account, by (customer class,
    receivable GL account), one amount per AGING_BUCKETS bucket: for each
    class and GL account, ``account_aging``'s buckets (of that GL account's
    open items) summed over the class's accounts."""
    receivable = list(
        GLAccount.objects.filter(purpose=GLAccount.Purpose.RECEIVABLE).values_list("pk", flat=True)
    )
    totals: dict[tuple[str, int], list[Decimal]] = {}
    with connection.cursor() as cursor:
        for customer_class, gl_id, bucket, amount in _open_amounts(cursor, as_of, receivable):
            row = totals.setdefault((customer_class, gl_id), [ZERO] * len(AGING_BUCKETS))
            row[bucket] += amount
    return totals


def _charges(owing, receivable, as_of: date, after: date, until: date) -> dict:
    """The parameters of ``_CHARGES_NEWEST_FIRST`` for (account, class,
    balance) rows."""
    return {
        "ids": [row[0] for row in owing],
        "classes": [row[1] for row in owing],
        "balances": [row[2] for row in owing],
        "receivable": receivable,
        "as_of": as_of,
        "after": after,
        "until": until,
    }


def _open_amounts(cursor, as_of: date, receivable: list[int]):
    """(class, GL account, bucket index, open amount), several rows per key."""
    cursor.execute(_BALANCES_SQL, {"receivable": receivable, "as_of": as_of})
    owing = cursor.fetchall()
    if not owing:
        return
    since = as_of - timedelta(days=RECENT_DAYS)
    cursor.execute(_OPEN_SQL, _charges(owing, receivable, as_of, after=since, until=as_of))
    charged = {}
    for customer_class, gl_id, bucket, amount, account_id, recent in cursor.fetchall():
        if account_id is None:
            yield customer_class, gl_id, bucket, amount
        else:
            charged[account_id] = recent
    # Owing more than was charged lately: the rest is open on older charges.
    deep = [
        (account_id, customer_class, balance - charged.get(account_id, ZERO))
        for account_id, customer_class, balance in owing
        if balance > charged.get(account_id, ZERO)
    ]
    for start in range(0, len(deep), DEEP_SLICE):
        part = deep[start : start + DEEP_SLICE]
        cursor.execute(_OLDER_SQL, _charges(part, receivable, as_of, after=date.min, until=since))
        yield from cursor.fetchall()


def past_due_by_account(on: date) -> dict[int, Decimal]:
    """Past due for every account that has some on ``on``: what the open
    items (``past_due_many``) say, the account page's rule.

    Built for city scale: one aggregate over the receivable gives, per
    account, the balance, the charges not yet due and when the first of them
    and the last charge fallen due were dated. Where every charge fallen due
    is dated before every charge not yet due, credits (oldest charge first)
    reach the ones not yet due last, and past due is balance less not yet
    due. Only the other accounts (a fee charged after a bill that is not yet
    due, say) are read item by item."""
    receivable = list(
        GLAccount.objects.filter(purpose=GLAccount.Purpose.RECEIVABLE).values_list("pk", flat=True)
    )
    charge = Q(amount__gt=0) & open_item_entries(on, "entry__")
    # Not yet due: in the "current" bucket.
    current = Q(due__gte=on - timedelta(days=AGING_BUCKET_ENDS["current"]))
    rows = (
        JournalLeg.objects.filter(
            gl_account_id__in=receivable,
            account_id__isnull=False,
            entry__effective_on__lte=on,
        )
        .alias(due=charge_due_on())
        .values("account_id")
        .annotate(
            balance=Sum("amount"),
            not_due=Sum("amount", filter=charge & current, default=ZERO),
            first_not_due=Min("entry__effective_on", filter=charge & current),
            last_fallen_due=Max("entry__effective_on", filter=charge & ~current),
        )
        .filter(balance__gt=0, last_fallen_due__isnull=False)
        .values_list("account_id", "balance", "not_due", "first_not_due", "last_fallen_due")
    )
    result, mixed = {}, []
    for account_id, balance, not_due, first_not_due, last_fallen_due in rows:
        if first_not_due is not None and first_not_due <= last_fallen_due:
            mixed.append(account_id)
        elif balance - not_due > ZERO:
            result[account_id] = balance - not_due
    result.update(past_due_many(sorted(mixed), on))
    return result

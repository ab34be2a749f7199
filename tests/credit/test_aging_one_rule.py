"""One aging rule: the credit aging report (set-wise SQL in
accounts.selectors.aging) gives, on random ledgers of several accounts,
classes and utilities, exactly the per-account selectors' figures summed:
each class and utility's buckets are the open items of its accounts on that
utility's receivable, each class's and the last row's buckets are
``account_aging`` summed, and the collection run's past due is each
account's ``account_aging`` past due."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.models import Account, GLAccount, JournalEntry
from accounts.selectors import AGING_BUCKETS, account_aging, aging, receivable_open_items
from accounts.selectors.ledger import aging_bucket
from accounts.services import (
    Charge,
    LedgerError,
    charges_post,
    entry_reverse,
    payment_post,
    transfer_post,
)
from credit.selectors import reports
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

START = date(2026, 1, 1)
ZERO = D("0.00")
CLASSES = dict(Account.CustomerClass.choices)
UTILITIES = ["water", "wastewater", "electric", "gas", ""]

AMOUNTS = st.decimals(min_value=D("0.01"), max_value=D("300.00"), places=2)
# (kind, account, day, amount, utility, due days, other account): posted in
# the order drawn, so dates run out of order as back-dated postings do.
OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["charge", "fee", "payment", "credit", "transfer", "reversal"]),
        st.integers(0, 3),
        st.integers(0, 200),
        AMOUNTS,
        st.sampled_from(UTILITIES),
        st.integers(0, 40),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=20,
)
LEDGERS = st.fixed_dictionaries(
    {
        "classes": st.lists(st.sampled_from(list(CLASSES)), min_size=2, max_size=4),
        "operations": OPERATIONS,
        "looks": st.lists(st.integers(0, 260), min_size=1, max_size=3),
        # The report reads recent charges for everyone, then older debt in
        # slices: small settings put every example through both paths.
        "recent_days": st.sampled_from([1, 10, 60]),
        "deep_slice": st.sampled_from([1, 2, 500]),
    }
)


KINDS = {
    "charge": JournalEntry.Kind.BILL,
    "fee": JournalEntry.Kind.FEE,
    "credit": JournalEntry.Kind.ADJUSTMENT,
}


def post(accounts, operations) -> set[date]:
    """Post the operations; the days where the rule turns (a reversal's day,
    a charge's due date) are returned for looking at."""
    entries, edges = [], set()
    for kind, who, day, amount, utility, due_days, other in operations:
        account = accounts[who % len(accounts)]
        on = START + timedelta(days=day)
        if kind == "payment":
            entries.append(payment_post(account=account, amount=amount, effective_on=on))
        elif kind == "transfer":
            to = accounts[other % len(accounts)]
            if to.pk != account.pk:
                entries.append(
                    transfer_post(
                        from_account=account,
                        to_account=to,
                        amount=amount,
                        effective_on=on,
                        reason="test",
                    )
                )
        elif kind == "reversal":
            standing = [e for e in entries if not JournalEntry.objects.filter(reverses=e).exists()]
            if standing:
                entry = standing[due_days % len(standing)]
                # Dated before the entry it reverses is refused (the balance
                # would credit days its open items still owe).
                if on < entry.effective_on:
                    with pytest.raises(LedgerError, match="on or after the entry"):
                        entry_reverse(entry=entry, reason="t", effective_on=on)
                    on = entry.effective_on + timedelta(days=due_days % 7)
                entry_reverse(entry=entry, reason="t", effective_on=on)
                edges.add(on)
        else:
            sign = -1 if kind == "credit" else 1
            lines = [("" if kind == "fee" else utility, amount)]
            if kind == "charge" and other % 2:
                # A bill of two utilities: which leg stays open when part of
                # it is paid is the order of its legs.
                second = UTILITIES[(UTILITIES.index(utility) + other) % len(UTILITIES)]
                lines.append((second, amount * 3))
            entries.append(
                charges_post(
                    account=account,
                    kind=KINDS[kind],
                    effective_on=on,
                    due_on=on + timedelta(days=due_days),
                    description=kind,
                    charges=[
                        Charge(
                            sign * line_amount,
                            line_utility,
                            revenue_purpose=GLAccount.Purpose.REVENUE
                            if line_utility and kind != "fee"
                            else GLAccount.Purpose.FEES,
                        )
                        for line_utility, line_amount in lines
                    ],
                )
            )
            edges.add(on + timedelta(days=due_days))
    return edges


def expected_by_class_and_utility(accounts, on):
    """(class label, utility label, report column) -> the open items of the
    class's accounts on that utility's receivable, bucketed by the selector."""
    expected = defaultdict(lambda: ZERO)
    for account in accounts:
        for item in receivable_open_items(account.pk, as_of=on):
            key = (
                CLASSES[account.customer_class],
                reports.UTILITY_LABELS[item.gl_account.utility],
                reports.AGING_COLUMNS[aging_bucket(item.due_on, on)],
            )
            expected[key] += item.open_amount
    return {key: amount for key, amount in expected.items() if amount}


def assert_report_is_the_selectors_summed(accounts, on):
    rows = reports.aging(on)
    got = {
        (row["class"], row["utility"], column): row[column]
        for row in rows[:-1]
        for column in reports.AGING_COLUMNS.values()
        if row[column]
    }
    assert got == expected_by_class_and_utility(accounts, on)

    agings = {account.pk: account_aging(account.pk, as_of=on) for account in accounts}
    by_class = defaultdict(lambda: dict.fromkeys(AGING_BUCKETS, ZERO))
    everything = dict.fromkeys(AGING_BUCKETS, ZERO)
    for account in accounts:
        for key, amount in agings[account.pk].buckets.items():
            by_class[CLASSES[account.customer_class]][key] += amount
            everything[key] += amount
    report_by_class = defaultdict(lambda: dict.fromkeys(AGING_BUCKETS, ZERO))
    for row in rows[:-1]:
        for key, column in reports.AGING_COLUMNS.items():
            report_by_class[row["class"]][key] += row[column]
    assert dict(report_by_class) == {c: b for c, b in by_class.items() if any(b.values())}
    if any(everything.values()):
        last = rows[-1]
        assert (last["class"], last["utility"]) == ("All classes", "All utilities")
        assert {key: last[column] for key, column in reports.AGING_COLUMNS.items()} == everything
        assert last["total"] == sum(everything.values(), ZERO)
    else:
        assert rows == []

    past_due = {pk: a.past_due for pk, a in agings.items() if a.past_due > ZERO}
    assert {
        pk: amount for pk, amount in aging.past_due_by_account(on).items() if pk in agings
    } == past_due


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ledger=LEDGERS)
# A partly paid bill of two utilities, an older fee, and a payment reversed
# after the day looked at: open items on both receivables and in two buckets.
@example(
    ledger={
        "classes": ["residential", "commercial"],
        "operations": [
            ("fee", 0, 0, D("5.00"), "", 0, 0),
            ("charge", 0, 30, D("80.00"), "water", 21, 0),
            ("charge", 0, 30, D("40.00"), "electric", 21, 0),
            ("payment", 0, 40, D("60.00"), "", 0, 0),
            ("charge", 1, 10, D("20.00"), "gas", 5, 0),
            ("reversal", 0, 120, D("1.00"), "", 3, 0),
        ],
        "looks": [100, 130],
        "recent_days": 10,
        "deep_slice": 1,
    }
)
def test_the_aging_report_is_the_account_aging_summed_on_random_ledgers(ledger):
    with transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(aging, "RECENT_DAYS", ledger["recent_days"])
        patch.setattr(aging, "DEEP_SLICE", ledger["deep_slice"])
        accounts = [AccountFactory(customer_class=c) for c in ledger["classes"]]
        edges = post(accounts, ledger["operations"])
        looks = {START + timedelta(days=day) for day in ledger["looks"]}
        for on in sorted(looks | edges):
            assert_report_is_the_selectors_summed(accounts, on)
        transaction.set_rollback(True)

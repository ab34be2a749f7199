"""Random postings (bill, payment, fee, adjustment, reversal, transfer): every
entry balances and every balance equals the sum of its legs."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from accounts.models import GLAccount, JournalEntry, JournalLeg
from accounts.selectors import (
    account_aging,
    account_balance,
    account_history,
    ledger_unbalanced_entries,
)
from accounts.services import Charge, charges_post, entry_reverse, payment_post, transfer_post
from tests.factories import AccountFactory

AMOUNTS = st.decimals(min_value=D("0.01"), max_value=D("999.99"), places=2)
UTILITIES = st.sampled_from(["water", "wastewater", "gas", "electric", "solid_waste"])


class LedgerMachine(RuleBasedStateMachine):
    @initialize()
    def open_accounts(self):
        self.accounts = [AccountFactory(), AccountFactory()]
        self.expected = {a.pk: D("0.00") for a in self.accounts}
        self.entries: list[JournalEntry] = []
        self.day = date(2026, 1, 1)

    def _next_day(self):
        self.day += timedelta(days=1)
        return self.day

    @rule(who=st.integers(0, 1), amount=AMOUNTS, utility=UTILITIES, tax=st.booleans())
    def bill(self, who, amount, utility, tax):
        account = self.accounts[who]
        charges = [Charge(amount, utility)]
        if tax:
            charges.append(Charge(D("1.23"), utility, revenue_purpose=GLAccount.Purpose.TAX))
        entry = charges_post(
            account=account,
            kind=JournalEntry.Kind.BILL,
            effective_on=self._next_day(),
            description="Bill",
            charges=charges,
        )
        self.expected[account.pk] += amount + (D("1.23") if tax else 0)
        self.entries.append(entry)

    @rule(who=st.integers(0, 1), amount=AMOUNTS)
    def payment(self, who, amount):
        account = self.accounts[who]
        self.entries.append(
            payment_post(account=account, amount=amount, effective_on=self._next_day())
        )
        self.expected[account.pk] -= amount

    @rule(who=st.integers(0, 1), amount=AMOUNTS)
    def fee(self, who, amount):
        account = self.accounts[who]
        self.entries.append(
            charges_post(
                account=account,
                kind=JournalEntry.Kind.FEE,
                effective_on=self._next_day(),
                description="Fee",
                charges=[Charge(amount, revenue_purpose=GLAccount.Purpose.FEES)],
            )
        )
        self.expected[account.pk] += amount

    @rule(who=st.integers(0, 1), amount=AMOUNTS, utility=UTILITIES)
    def adjustment(self, who, amount, utility):
        account = self.accounts[who]
        self.entries.append(
            charges_post(
                account=account,
                kind=JournalEntry.Kind.ADJUSTMENT,
                effective_on=self._next_day(),
                description="Credit adjustment",
                charges=[Charge(-amount, utility)],
            )
        )
        self.expected[account.pk] -= amount

    @rule(data=st.data())
    def reversal(self, data):
        candidates = [
            e
            for e in self.entries
            if e.kind != JournalEntry.Kind.REVERSAL
            and not JournalEntry.objects.filter(reverses=e).exists()
        ]
        if not candidates:
            return
        entry = data.draw(st.sampled_from(candidates))
        reversal = entry_reverse(entry=entry, reason="test", effective_on=self._next_day())
        for leg in entry.legs.filter(gl_account__purpose=GLAccount.Purpose.RECEIVABLE):
            self.expected[leg.account_id] -= leg.amount
        self.entries.append(reversal)

    @rule(amount=AMOUNTS, direction=st.booleans())
    def transfer(self, amount, direction):
        source, target = self.accounts if direction else self.accounts[::-1]
        self.entries.append(
            transfer_post(
                from_account=source,
                to_account=target,
                amount=amount,
                effective_on=self._next_day(),
                reason="test",
            )
        )
        self.expected[source.pk] += amount
        self.expected[target.pk] -= amount

    @invariant()
    def every_entry_balances(self):
        assert ledger_unbalanced_entries() == []
        for entry in self.entries[-3:]:
            assert entry.legs.count() >= 2

    @invariant()
    def balances_equal_the_sum_of_their_legs(self):
        for account in self.accounts:
            legs = JournalLeg.objects.filter(
                account=account, gl_account__purpose=GLAccount.Purpose.RECEIVABLE
            ).aggregate(total=Sum("amount"))["total"] or D("0")
            balance = account_balance(account.pk)
            assert balance == legs == self.expected[account.pk]
            history = account_history(account.pk)
            assert (history[-1].running_balance if history else D("0")) == balance
            aging = account_aging(account.pk, as_of=self.day)
            open_total = sum(aging.buckets.values(), D("0"))
            # Open charges less any unapplied credit is the balance.
            assert open_total - aging.credit == balance


@pytest.mark.django_db
def test_random_postings_keep_the_ledger_balanced():
    LedgerMachine.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    LedgerMachine.TestCase().runTest()

"""One demo account's ledger and pricing data, kept in memory while its
history is generated, by the product's own rules.

The demo posts with COPY, not through ``entry_post``, so nothing reads the
ledger back while an account is built. ``AccountBook`` holds what
``receivable_open_items`` will read back from the loaded legs: charges are
the legs ``charge_legs`` builds, credits are applied by ``credit_legs``, past
due is ``aging_of_items`` and late fees are ``late_fee_for``.
``HistoryData`` gives the rate engine's inputs (programs, heat content,
winter average) by ``BillingData``'s own lookups over the account's
generated history instead of queries.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from accounts.models import GLAccount, JournalEntry
from accounts.selectors.ledger import OpenItem, aging_of_items
from accounts.services.ledger import Charge, GLChart, Leg, charge_legs, credit_legs
from billing.services.billing_data import BillingData
from billing.services.late_fees import late_fee_for
from mesa_cs.lib.money import ZERO

RECEIVABLE = GLAccount.Purpose.RECEIVABLE
CREDITS = {JournalEntry.Kind.PAYMENT, JournalEntry.Kind.TRANSFER}


class GL(NamedTuple):
    """A GL account as a demo leg needs it: its id for the COPY row and its
    purpose. Legs are merged by GL account, and a pair hashes many times
    faster than a model instance."""

    pk: int
    purpose: str


class DemoChart(GLChart):
    """The product's chart (its lookup and fallbacks), answering with ``GL``
    pairs, each lookup remembered."""

    def __init__(self):
        super().__init__()
        self._pairs: dict[tuple[str, str, str], GL] = {}

    def get(self, purpose: str, utility: str = "", rate_schedule: str = "") -> GL:
        key = (purpose, utility, rate_schedule)
        pair = self._pairs.get(key)
        if pair is None:
            gl = super().get(purpose, utility, rate_schedule)
            pair = self._pairs[key] = GL(gl.pk, gl.purpose)
        return pair


class _Account(NamedTuple):
    pk: int  # all credit_legs reads of the account


class AccountBook:
    """One account's receivable: open items oldest first, the credit balance
    nothing has taken yet, and what changed since its last bill (the bill's
    payments and other charges, as ``bills_write`` sums them)."""

    def __init__(self, account_id: int, chart: DemoChart):
        self.account = _Account(account_id)
        self.chart = chart
        self.items: list[OpenItem] = []
        self.credit = ZERO  # never while items are open: it pays the next charge
        self.balance = ZERO
        self.payments = ZERO
        self.other = ZERO

    @property
    def owed(self) -> Decimal:
        return sum((item.open_amount for item in self.items), ZERO)

    def charge(
        self, entry_id: int, kind: str, on: date, due_on: date, charges: list[Charge]
    ) -> list[Leg]:
        """The legs of a charge entry, taken into the open items."""
        legs = charge_legs(self.chart, self.account.pk, charges)
        for leg in legs:
            if leg.account_id != self.account.pk or leg.gl.purpose != RECEIVABLE:
                continue
            self._moved(kind, leg.amount)
            if leg.amount > ZERO:
                self.items.append(
                    OpenItem(entry_id, on, due_on, leg.gl, leg.service_agreement_id, leg.amount)
                )
                if self.credit:
                    self._apply(ZERO)
            elif leg.amount < ZERO:
                self._apply(-leg.amount)
        return legs

    def pay(self, kind: str, amount: Decimal) -> list[Leg]:
        """The receivable legs of a credit of ``amount``, oldest charge first."""
        owed = self.owed
        legs = credit_legs(self.account, amount, self.chart, self.items)
        self.credit += amount - (owed - self.owed)  # what found no open charge
        self._moved(kind, -amount)
        return legs

    def past_due(self, on: date) -> Decimal:
        return aging_of_items(self.items, on)[0]

    def late_fee(self, on: date) -> tuple[Decimal, Decimal, Decimal]:
        """(past due, fee, tax) of a late fee assessed on ``on``."""
        past_due = self.past_due(on)
        return (past_due, *late_fee_for(past_due))

    def billed(self) -> None:
        self.payments = self.other = ZERO

    def _moved(self, kind: str, amount: Decimal) -> None:
        self.balance += amount
        if kind in CREDITS:
            self.payments += amount
        elif kind != JournalEntry.Kind.BILL:
            self.other += amount

    def _apply(self, credit: Decimal) -> None:
        """A credit (or the credit balance) pays the oldest open charges."""
        credit += self.credit
        owed = self.owed
        if credit and owed:
            credit_legs(self.account, credit, self.chart, self.items)
        self.credit = credit - (owed - self.owed)


class HistoryData(BillingData):
    """``BillingData``'s pricing lookups over one demo account at a time:
    its enrolments, its winter water bills and the recorded heat content
    factors, fed in by the builder rather than read from the database."""

    def __init__(self, heat: list[tuple[date, Decimal]]):
        # Not BillingData.__init__: that one reads the database.
        self.heat = heat  # newest month first, as BillingData reads them
        self.enrolments: dict[int, list[tuple]] = {}
        self.winter: dict[int, list[tuple]] = {}

    def start_account(self, account_id: int, enrolments: list[tuple]) -> None:
        self.enrolments = {account_id: enrolments}
        self.winter = {account_id: []}

    def water_billed(self, account_id: int, end: date, usage: Decimal) -> None:
        if end.month in (12, 1, 2):
            self.winter[account_id].append((end, usage))

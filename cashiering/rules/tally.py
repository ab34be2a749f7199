"""What a counter payment adds up to: the amount due on the accounts paid,
what was tendered, and the change. The counter's live panel shows it while
the cashier types and ``payment_take`` refuses a payment by the same sums,
so the screen never promises change the service would refuse."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from mesa_cs.lib.money import ZERO, to_money

CASH = "CASH"


@dataclass(frozen=True)
class Tally:
    due: Decimal
    tendered: Decimal
    cash: Decimal

    @property
    def short(self) -> Decimal:
        """What is still to collect (zero once the tenders cover the payment)."""
        return max(self.due - self.tendered, ZERO)

    @property
    def over(self) -> Decimal:
        return max(self.tendered - self.due, ZERO)

    @property
    def non_cash_over(self) -> bool:
        """Checks, money orders and cards paying more than is due: only cash gives change."""
        return self.over > self.cash

    @property
    def change(self) -> Decimal:
        return ZERO if self.non_cash_over else self.over


def tally(amounts: Iterable[Decimal], tenders: Iterable[tuple[str, Decimal]]) -> Tally:
    """``amounts``: what each account is paid; ``tenders``: (tender code, amount)."""
    tenders = [(code, to_money(amount)) for code, amount in tenders]
    return Tally(
        due=sum((to_money(a) for a in amounts), ZERO),
        tendered=sum((amount for _, amount in tenders), ZERO),
        cash=sum((amount for code, amount in tenders if code == CASH), ZERO),
    )

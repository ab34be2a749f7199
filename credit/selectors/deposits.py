"""Reads for Credit Services pages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Account, Deposit
from accounts.selectors import deposit_liability
from mesa_cs.lib.roles import AREA_ROLES, Area, user_roles


@dataclass
class AccountDeposits:
    deposits: list[Deposit]
    billed: Decimal
    unpaid: Decimal
    can_act: bool

    @property
    def held(self) -> Decimal:
        return self.billed - self.unpaid


def account_deposits(account: Account, user) -> AccountDeposits:
    billed, unpaid = deposit_liability(account.pk)
    return AccountDeposits(
        deposits=list(account.deposits.select_related("released_by")),
        billed=billed,
        unpaid=unpaid,
        can_act=bool(user_roles(user) & AREA_ROLES[Area.CREDIT]),
    )


def deposits_list():
    return Deposit.objects.select_related("account", "released_by").order_by("-required_on", "-pk")

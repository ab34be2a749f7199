"""Reads for bankruptcy, write-off and agency referral pages. Balances come
from the ledger's legs, never from the case rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from accounts.models import Account, GLAccount, JournalLeg
from accounts.selectors import account_balance
from credit.models import AgencyReferral, Bankruptcy, Hold, WriteOff
from mesa_cs.lib.money import ZERO


def _account_legs_total(account_id: int, purpose: str) -> Decimal:
    total = JournalLeg.objects.filter(account_id=account_id, gl_account__purpose=purpose).aggregate(
        total=Sum("amount")
    )["total"]
    return total or ZERO


def pre_petition_balance(account_id: int) -> Decimal:
    """What sits on the pre-petition receivable for the account: the frozen
    claim of an open case (nothing once the case is discharged or dismissed)."""
    return _account_legs_total(account_id, GLAccount.Purpose.PREPETITION)


def recoverable(account_id: int) -> Decimal:
    """Written off (by approval or by discharge) less recovered so far: the
    account's share of bad debt, net."""
    return _account_legs_total(account_id, GLAccount.Purpose.BAD_DEBT)


@dataclass(frozen=True)
class PetitionBalances:
    bankruptcy: Bankruptcy | None
    pre_petition: Decimal
    post_petition: Decimal
    assurance_due_on: date | None = None

    @property
    def frozen(self) -> Decimal:
        return self.bankruptcy.pre_petition_balance if self.bankruptcy else ZERO


def petition_balances(account: Account) -> PetitionBalances:
    """The account's open (else latest) bankruptcy with the frozen pre-petition
    claim and the post-petition balance, which is the receivable: everything
    billed since the petition, collectible as usual."""
    case = (
        account.bankruptcies.filter(status=Bankruptcy.Status.OPEN).first()
        or account.bankruptcies.order_by("-petition_on", "-pk").first()
    )
    hold = None
    if case is not None:
        hold = Hold.objects.filter(source_key=f"bankruptcy:{case.pk}").order_by("-pk").first()
    return PetitionBalances(
        bankruptcy=case,
        pre_petition=pre_petition_balance(account.pk),
        post_petition=account_balance(account.pk),
        assurance_due_on=hold.ends_on if hold else None,
    )


@dataclass(frozen=True)
class AccountCases:
    balances: PetitionBalances
    bankruptcies: list[Bankruptcy]
    write_offs: list[WriteOff]
    referrals: list[AgencyReferral]
    recoverable: Decimal


def account_cases(account: Account) -> AccountCases:
    return AccountCases(
        balances=petition_balances(account),
        bankruptcies=list(account.bankruptcies.select_related("recorded_by")),
        write_offs=list(account.write_offs.select_related("requested_by", "decided_by")),
        referrals=list(account.referrals.all()),
        recoverable=recoverable(account.pk),
    )


def bankruptcies_list():
    return Bankruptcy.objects.select_related("account", "recorded_by")


def write_offs_list():
    return WriteOff.objects.select_related("account", "requested_by", "decided_by")


def referrals_list():
    return AgencyReferral.objects.select_related("account").order_by("-referred_on", "-pk")

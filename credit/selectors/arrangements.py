"""Reads for the arrangement, assistance and call-log pages and the account
page's panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accounts.models import Account, ProgramEnrolment
from accounts.selectors import Aging, account_aging
from credit.models import ArrangementRequest, CollectorCall, PaymentArrangement, Pledge
from credit.services.arrangements import (
    InstallmentLine,
    arranged_not_billed,
    arrangement_eligibility,
    arrangement_schedule,
    open_by_entry,
)

RECENT_CALLS = 5


@dataclass
class ArrangementView:
    arrangement: PaymentArrangement
    schedule: list[InstallmentLine]


@dataclass
class ArrangementPage:
    aging: Aging
    not_billed: Decimal
    reasons: list[str]
    active: ArrangementView | None
    earlier: list[ArrangementView]
    waiting: ArrangementRequest | None = None  # an override asked for, undecided
    declined: ArrangementRequest | None = None  # the latest decline, if the last word

    @property
    def owed(self) -> Decimal:
        return self.aging.balance + self.not_billed


def _arrangements(account: Account, on: date) -> list[ArrangementView]:
    rows = list(
        account.arrangements.select_related("made_by", "approved_by").prefetch_related(
            "installments"
        )
    )
    opened = open_by_entry([account.pk]).get(account.pk, {}) if rows else {}
    return [ArrangementView(row, arrangement_schedule(row, on, opened)) for row in rows]


def arrangement_page(account: Account, on: date) -> ArrangementPage:
    views = _arrangements(account, on)
    active = next(
        (v for v in views if v.arrangement.status == PaymentArrangement.Status.ACTIVE), None
    )
    latest = (
        account.arrangement_requests.select_related("requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
        .first()
    )
    return ArrangementPage(
        aging=account_aging(account.pk, as_of=on),
        not_billed=arranged_not_billed(account.pk, on),
        reasons=arrangement_eligibility(account, on),
        active=active,
        earlier=[v for v in views if v is not active],
        waiting=latest if latest and latest.status == ArrangementRequest.Status.PENDING else None,
        declined=latest if latest and latest.status == ArrangementRequest.Status.DECLINED else None,
    )


@dataclass
class CreditPanel:
    arrangements: list[ArrangementView]
    not_billed: Decimal
    pledges: list[Pledge]
    enrolments: list[ProgramEnrolment]
    calls: list[CollectorCall]


def account_credit_panel(account: Account, on: date) -> CreditPanel:
    """The account's arrangements (with installments), pledges, program
    enrolments and latest calls."""
    return CreditPanel(
        arrangements=_arrangements(account, on),
        not_billed=arranged_not_billed(account.pk, on),
        pledges=list(account.pledges.select_related("recorded_by")),
        enrolments=list(account.enrolments.all()),
        calls=list(account.collector_calls.select_related("called_by")[:RECENT_CALLS]),
    )


def account_pledges(account: Account) -> list[Pledge]:
    return list(account.pledges.select_related("recorded_by"))


def account_calls(account: Account, limit: int = 20) -> list[CollectorCall]:
    return list(account.collector_calls.select_related("called_by")[:limit])


def arrangements_list():
    return PaymentArrangement.objects.select_related("account", "made_by", "approved_by").order_by(
        "-made_on", "-pk"
    )


def pledges_list():
    return Pledge.objects.select_related("account", "recorded_by").order_by("-pledged_on", "-pk")

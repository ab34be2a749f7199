"""The kinds of second-person decision the supervisors' approvals inbox shows.

Staffing imports no section app: billing, cashiering and credit each register
their kind from their AppConfig.ready(), with a selector for what waits and
the two services that decide it (their own, the ones their own pages call).
The inbox (``staffing:approvals``) lists every kind's pending requests in
one place and decides them through ``staffing.services.approval_decide``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class Pending:
    """One request waiting for a decision."""

    kind: str
    pk: int
    what: str
    requested_by: str  # the full name
    why: str
    amount: Decimal | None
    since: datetime
    url: str = ""  # the record's own page (an account, a list)
    account_number: str = ""
    place: str = ""  # what it concerns when no account does (a drawer)

    @property
    def concerns(self) -> str:
        return self.account_number or self.place


@dataclass(frozen=True)
class ApprovalKind:
    name: str  # in URLs: /staffing/approvals/<name>/<pk>/...
    label: str  # "Billing adjustment"
    pending: Callable  # () -> list[Pending], oldest first
    count: Callable  # () -> int
    approve: Callable  # (*, pk, by) -> anything; raises ValidationError when refused
    decline: Callable  # (*, pk, by, why) -> anything
    # The work item the request opened (kind, source key), so the inbox
    # records the decider's reason on it; None when it opens none.
    work_item: Callable | None = None  # (pk) -> (kind, source_key)


_KINDS: dict[str, ApprovalKind] = {}


def register_approval_kind(kind: ApprovalKind) -> None:
    _KINDS[kind.name] = kind


def approval_kinds() -> list[ApprovalKind]:
    return list(_KINDS.values())


def approval_kind(name: str) -> ApprovalKind | None:
    return _KINDS.get(name)


def request_kind(
    *,
    name: str,
    label: str,
    waiting: Callable,
    what: Callable,
    why: str,
    approve: Callable,
    decline: Callable,
    work_item: Callable | None = None,
) -> ApprovalKind:
    """A kind whose requests are rows with an account, an amount, who asked
    (``requested_by``) and when (``requested_at``), as adjustments, refunds
    and write-offs are. ``waiting`` gives the queryset still pending, ``what``
    names one row, ``why`` is the field with the requester's reason."""
    from django.urls import reverse

    def pending() -> list[Pending]:
        rows = waiting().select_related("account", "requested_by").order_by("requested_at", "pk")
        return [
            Pending(
                kind=name,
                pk=row.pk,
                what=what(row),
                requested_by=full_name(row.requested_by),
                why=getattr(row, why),
                amount=row.amount,
                since=row.requested_at,
                url=reverse("accounts:detail", args=[row.account.number]),
                account_number=row.account.number,
            )
            for row in rows
        ]

    return ApprovalKind(
        name=name,
        label=label,
        pending=pending,
        count=lambda: waiting().order_by().count(),
        approve=approve,
        decline=decline,
        work_item=work_item,
    )


def full_name(user) -> str:
    """Staff by full name (their login when they have none)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()

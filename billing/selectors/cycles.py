"""Reads about bill cycles for the home page and its lists."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Account


def accounts_without_cycle() -> QuerySet[Account]:
    """Open utility accounts with no bill cycle: no bill run picks them up."""
    return Account.objects.filter(
        kind=Account.Kind.UTILITY,
        status__in=[Account.Status.PENDING, Account.Status.ACTIVE],
        bill_cycle__isnull=True,
    ).order_by("number")

"""The daily check that every served account sits in a bill cycle: bill runs
select accounts by cycle, so one without a cycle would never be billed."""

from __future__ import annotations

from accounts.models import Account, ServiceAgreement
from staffing.models import Section
from staffing.services import work_item_open

WORK_ITEM_KIND = "account_without_cycle"


def accounts_without_cycle() -> list[int]:
    """Active accounts with service (or service about to start) and no cycle."""
    return list(
        Account.objects.filter(
            status=Account.Status.ACTIVE,
            bill_cycle__isnull=True,
            agreements__status__in=ServiceAgreement.OPEN_STATUSES,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def accounts_without_cycle_check() -> int:
    """One work item per such account for Account Maintenance & Billing. Keyed
    by the account, so a second run (or a second day) opens no duplicate while
    the first is open."""
    ids = accounts_without_cycle()
    for account in Account.objects.filter(pk__in=ids).order_by("pk"):
        work_item_open(
            kind=WORK_ITEM_KIND,
            section=Section.ACCOUNT_MAINTENANCE,
            title=f"Account {account.number} has service but no bill cycle",
            details=(
                "Bill runs select accounts by cycle, so this account is never billed. "
                "Set its bill cycle (that of its premise's read route) and close this item."
            ),
            account=account,
            source_key=f"account-without-cycle:{account.pk}",
        )
    return len(ids)

"""Reads for the collections pages and the account's Collections tab."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Account, Utility
from accounts.selectors import AGING_BUCKETS, receivable_open_items
from accounts.selectors.ledger import aging_bucket
from credit.models import CollectionEvent, CollectionRun, CollectionState, Hold, NoticeBatch
from credit.services.collections import hold_label
from credit.services.holds import holds_in_force
from mesa_cs.lib.money import ZERO


def worklist():
    """Accounts on a ladder (or held on one), most past due first."""
    return (
        CollectionState.objects.exclude(step__isnull=True, held_by="")
        .select_related("account", "step")
        .order_by("-past_due")
    )


def recent_runs(limit: int = 10):
    return list(CollectionRun.objects.all()[:limit])


def recent_batches(limit: int = 20):
    return list(NoticeBatch.objects.defer("pdf").all()[:limit])


@dataclass
class AccountCollections:
    state: CollectionState | None
    holds: list[Hold]
    in_force: Hold | None
    events: list[CollectionEvent]
    aging: list[tuple[str, dict]]

    @property
    def stopped_by(self) -> str:
        return hold_label(self.state.held_by) if self.state and self.state.held_by else ""


def aging_by_utility(account_id: int, on) -> list[tuple[str, dict]]:
    """The open balance by utility and days past due (fees and credits as
    "Fees and credits"), bucketed as the account page's aging."""
    rows: dict[str, dict] = {}
    for item in receivable_open_items(account_id, as_of=on):
        label = (
            Utility(item.gl_account.utility).label
            if item.gl_account.utility
            else "Fees and credits"
        )
        buckets = rows.setdefault(label, dict.fromkeys(AGING_BUCKETS, ZERO))
        buckets[aging_bucket(item.due_on, on)] += item.open_amount
    return sorted(rows.items())


def account_collections(account: Account) -> AccountCollections:
    today = timezone.localdate()
    return AccountCollections(
        aging=aging_by_utility(account.pk, today),
        state=CollectionState.objects.filter(account=account).select_related("step").first(),
        holds=list(account.holds.select_related("owner")[:20]),
        in_force=holds_in_force([account.pk], today).get(account.pk),
        events=list(account.collection_events.select_related("step")[:50]),
    )

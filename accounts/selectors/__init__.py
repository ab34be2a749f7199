from accounts.selectors.ledger import (
    AGING_BUCKETS,
    Aging,
    OpenItem,
    account_aging,
    account_balance,
    account_history,
    deposit_held,
    deposit_liability,
    ledger_unbalanced_entries,
    receivable_open_items,
)
from accounts.selectors.search import SearchOutcome, account_by_number, account_search

__all__ = [
    "AGING_BUCKETS",
    "Aging",
    "OpenItem",
    "SearchOutcome",
    "account_aging",
    "account_balance",
    "account_by_number",
    "account_history",
    "account_search",
    "deposit_held",
    "deposit_liability",
    "ledger_unbalanced_entries",
    "receivable_open_items",
]

"""Tabs that section apps add to the account page.

Dependencies point inward: ``accounts`` imports no section app. A section app
registers a tab from its AppConfig.ready(); the account page shows every
registered tab after its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AccountTab:
    name: str
    label: str
    template: str
    context: Callable  # (request, account) -> dict
    badge: Callable | None = None  # (account) -> int | None, shown beside the label


_TABS: dict[str, AccountTab] = {}


def register_tab(tab: AccountTab) -> None:
    _TABS[tab.name] = tab


def registered_tabs() -> list[AccountTab]:
    return list(_TABS.values())


def registered_tab(name: str) -> AccountTab | None:
    return _TABS.get(name)


# Rate schedules belong to billing; the start and transfer pages ask for them
# through a provider billing registers, as (code, name, utility, customer class).
_SCHEDULE_PROVIDER: list[Callable] = []


def register_rate_schedules(provider: Callable) -> None:
    _SCHEDULE_PROVIDER[:] = [provider]


def rate_schedules() -> list[tuple[str, str, str, str]]:
    return _SCHEDULE_PROVIDER[0]() if _SCHEDULE_PROVIDER else []


# A section app may forbid completing a kind of field work (Credit Services:
# a disconnect once the customer has paid, is on hold or is heat-protected).
# A check is (activity, completed_on) -> the reason it may not be done, or "".
_COMPLETION_CHECKS: dict[str, list[Callable]] = {}


def register_completion_check(kind: str, check: Callable) -> None:
    checks = _COMPLETION_CHECKS.setdefault(kind, [])
    if check not in checks:
        checks.append(check)


def completion_checks(kind: str) -> list[Callable]:
    return list(_COMPLETION_CHECKS.get(kind, ()))


# What other sections do once a payment posts to an account (Credit Services:
# reconnect a disconnected account whose past due is paid, and cancel a
# disconnect order still waiting for the crew). Cashiering calls them here,
# so it imports no section app that itself needs cashiering. A hook is
# (*, account, on, by) -> anything.
_PAYMENT_HOOKS: list[Callable] = []


def register_payment_hook(hook: Callable) -> None:
    if hook not in _PAYMENT_HOOKS:
        _PAYMENT_HOOKS.append(hook)


def payment_posted(*, account, on, by) -> None:
    for hook in _PAYMENT_HOOKS:
        hook(account=account, on=on, by=by)

"""Reads for the start, stop and transfer pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import Q

from accounts.models import Account, Person, Premise, ServiceAgreement, ServicePoint, Utility
from accounts.panels import rate_schedules
from mesa_cs.lib.address import normalize_address

LIMIT = 15


def person_search(query: str) -> list[Person]:
    """Customers by name (forgiving of spelling) or exact phone number."""
    query = query.strip()
    if len(query) < 2:
        return []
    digits = "".join(c for c in query if c.isdigit())
    if len(digits) == 10:
        return list(Person.objects.filter(Q(phone=digits) | Q(alt_phone=digits))[:LIMIT])
    return list(
        Person.objects.filter(full_name__trigram_word_similar=query)
        .annotate(score=TrigramWordSimilarity(query, "full_name"))
        .order_by("-score", "pk")[:LIMIT]
    )


@dataclass
class PremiseChoice:
    premise: Premise
    meters: set[str]  # metered utilities with a service point here
    busy: dict[str, str]  # utility -> account number holding open service

    @property
    def meter_labels(self) -> list[str]:
        return [Utility(u).label for u in sorted(self.meters)]

    @property
    def busy_labels(self) -> list[tuple[str, str]]:
        return [(Utility(u).label, number) for u, number in sorted(self.busy.items())]


def premise_search(query: str) -> list[PremiseChoice]:
    key = normalize_address(query)
    if len(key) < 3:
        return []
    premises = list(
        Premise.objects.filter(address_key__trigram_similar=key)
        .annotate(score=TrigramSimilarity("address_key", key))
        .order_by("-score", "pk")[:LIMIT]
    )
    return premise_choices(premises)


def premise_choices(premises: list[Premise]) -> list[PremiseChoice]:
    ids = [p.pk for p in premises]
    meters: dict[int, set[str]] = {}
    for premise_id, utility in ServicePoint.objects.filter(premise_id__in=ids).values_list(
        "premise_id", "utility"
    ):
        meters.setdefault(premise_id, set()).add(utility)
    busy: dict[int, dict[str, str]] = {}
    for premise_id, utility, number in ServiceAgreement.objects.filter(
        premise_id__in=ids, status__in=ServiceAgreement.OPEN_STATUSES
    ).values_list("premise_id", "utility", "account__number"):
        busy.setdefault(premise_id, {})[utility] = number
    return [PremiseChoice(p, meters.get(p.pk, set()), busy.get(p.pk, {})) for p in premises]


def open_premises(account: Account) -> list[Premise]:
    """The premises where the account has open service, for stop and transfer."""
    return list(
        Premise.objects.filter(
            agreements__account=account,
            agreements__status__in=ServiceAgreement.OPEN_STATUSES,
        ).distinct()
    )


def schedules_by_utility() -> dict[str, list[tuple[str, str]]]:
    """Rate schedule choices per utility, labelled with their class."""
    choices: dict[str, list[tuple[str, str]]] = {}
    for code, name, utility, customer_class in rate_schedules():
        choices.setdefault(utility, []).append((code, f"{code} · {name} ({customer_class})"))
    return choices

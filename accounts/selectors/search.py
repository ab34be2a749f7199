"""Account search: what a clerk types, whatever it is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import Q, Sum

from accounts.models import (
    Account,
    GLAccount,
    JournalLeg,
    MeterInstallation,
    Premise,
    ServiceAgreement,
)
from accounts.rules.scanline import parse_scan_line
from mesa_cs.lib.address import normalize_address
from mesa_cs.lib.luhn import luhn_is_valid
from mesa_cs.lib.money import ZERO

LIMIT = 25
# How like the typed address a premise at the typed house number must be to
# stand without the trigram search (the same street, give or take a word).
HOUSE_MATCH = 0.5
_PHONEISH = re.compile(r"[\d\s().+-]+")


@dataclass
class Hit:
    account: Account
    score: float
    matched: str
    address: str = ""
    balance: Decimal = ZERO


@dataclass
class SearchOutcome:
    query: str
    jump_to: Account | None = None
    hits: list[Hit] = field(default_factory=list)
    message: str = ""


def account_by_number(number: str) -> Account | None:
    return Account.objects.filter(number=number).first()


def account_search(query: str, limit: int = LIMIT) -> SearchOutcome:
    q = " ".join((query or "").split())
    outcome = SearchOutcome(query=q)
    if not q:
        return outcome
    scanned = parse_scan_line(q)
    if scanned is not None and (account := account_by_number(scanned[0])):
        outcome.jump_to = account
        return outcome
    hits: dict[int, Hit] = {}
    if _PHONEISH.fullmatch(q):
        digits = re.sub(r"\D", "", q)
        exact = account_by_number(digits) if len(digits) == 10 and luhn_is_valid(digits) else None
        if exact is not None:
            outcome.jump_to = exact
            return outcome
        _merge(hits, _by_phone(digits), "phone")
        if len(digits) >= 4:
            _merge(hits, _by_number_prefix(digits), "account number")
        if len(digits) == 10 and not hits and not luhn_is_valid(digits):
            outcome.message = (
                f"{digits} is not an account number: it fails the check digit, so a digit "
                "is probably mistyped. No phone number matches it either."
            )
    if " " not in q:
        _merge(hits, _by_meter(q), "meter number")
    if re.search(r"[A-Za-z]", q):
        _merge(hits, _by_address(q), "service address")
        _merge(hits, _by_name(q), "name")
    ranked = sorted(hits.values(), key=lambda hit: (-hit.score, hit.account.number))[:limit]
    _decorate(ranked)
    outcome.hits = ranked
    return outcome


def _merge(hits: dict[int, Hit], found: list[tuple[Account, float]], matched: str) -> None:
    for account, score in found:
        hit = hits.get(account.pk)
        if hit is None or score > hit.score:
            hits[account.pk] = Hit(account=account, score=score, matched=matched)


def _by_phone(digits: str) -> list[tuple[Account, float]]:
    if len(digits) != 10:
        return []
    accounts = Account.objects.filter(
        Q(links__person__phone=digits) | Q(links__person__alt_phone=digits)
    ).distinct()[:LIMIT]
    return [(account, 1.0) for account in accounts]


def _by_number_prefix(digits: str) -> list[tuple[Account, float]]:
    return [(a, 0.9) for a in Account.objects.filter(number__startswith=digits)[:LIMIT]]


def _by_meter(text: str) -> list[tuple[Account, float]]:
    installations = MeterInstallation.objects.filter(meter__number=text.upper()).values(
        "service_point_id"
    )
    accounts = (
        Account.objects.filter(agreements__service_point__in=installations)
        .distinct()
        .order_by("number")[:LIMIT]
    )
    return [(account, 1.0) for account in accounts]


def _by_name(text: str) -> list[tuple[Account, float]]:
    accounts = (
        Account.objects.filter(name__trigram_word_similar=text)
        .annotate(score=TrigramWordSimilarity(text, "name"))
        .order_by("-score")[:LIMIT]
    )
    found = [(a, a.score) for a in accounts]
    people = (
        Account.objects.filter(links__person__full_name__trigram_word_similar=text)
        .annotate(score=TrigramWordSimilarity(text, "links__person__full_name"))
        .order_by("-score")[:LIMIT]
    )
    found += [(a, a.score * 0.95) for a in people]
    return found


def _by_address(text: str) -> list[tuple[Account, float]]:
    key = normalize_address(text)
    scores = _premises_at_house(key) or _premises_like(key)
    if not scores:
        return []
    agreements = (
        ServiceAgreement.objects.filter(premise_id__in=scores)
        .select_related("account")
        .order_by("account_id", "-starts_on")
        .distinct("account_id")
    )
    return [(sa.account, scores[sa.premise_id]) for sa in agreements]


def _premises_at_house(key: str) -> dict[int, float]:
    """A typed house number is nearly always right: look only at that number's
    premises (a prefix scan of the address key's index), ranked by how like
    the rest they are. A busy street shares most trigrams with the typed
    address, so the trigram index alone would recheck thousands of rows.
    Nothing close enough there (a mistyped number): {} and the caller
    falls back to the trigram search."""
    house, _, rest = key.partition(" ")
    if not (house.isdigit() and rest):
        return {}
    premises = (
        Premise.objects.filter(address_key__startswith=f"{house} ")
        .annotate(score=TrigramSimilarity("address_key", key))
        .filter(score__gte=HOUSE_MATCH)
        .order_by("-score")[:LIMIT]
    )
    return {p.pk: p.score for p in premises}


def _premises_like(key: str) -> dict[int, float]:
    premises = (
        Premise.objects.filter(address_key__trigram_similar=key)
        .annotate(score=TrigramSimilarity("address_key", key))
        .order_by("-score")[:LIMIT]
    )
    return {p.pk: p.score for p in premises}


def _decorate(hits: list[Hit]) -> None:
    """Each hit's current service address and balance, in two queries."""
    ids = [hit.account.pk for hit in hits]
    if not ids:
        return
    addresses = {}
    for sa in (
        ServiceAgreement.objects.filter(account_id__in=ids)
        .select_related("premise")
        .order_by("account_id", "ends_on", "-starts_on")
        .distinct("account_id")
    ):
        addresses[sa.account_id] = f"{sa.premise.address_line}, {sa.premise.zip_code}"
    balances = dict(
        JournalLeg.objects.filter(
            account_id__in=ids, gl_account__purpose=GLAccount.Purpose.RECEIVABLE
        )
        .values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    for hit in hits:
        hit.address = addresses.get(hit.account.pk, "")
        hit.balance = balances.get(hit.account.pk) or ZERO


def exact_match_outcome(outcome: SearchOutcome) -> SearchOutcome:
    """The jump target shown as the single hit (for live, as-you-type search)."""
    hits = [Hit(account=outcome.jump_to, score=1.0, matched="account number")]
    _decorate(hits)
    return SearchOutcome(query=outcome.query, hits=hits)

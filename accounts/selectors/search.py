"""Account search: what a clerk types, whatever it is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    Q,
    Sum,
)

from accounts.models import (
    Account,
    AccountPerson,
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
# A misspelt surname (docs/accounts.md, "Search"): its hits score from
# SPELLING_BASE up to SPELLING_TOP, under every trigram match of a name
# (0.57 and up), so exact and trigram-close names always come first.
SPELLING_BASE = 0.30
SPELLING_TOP = 0.56
# Of the surnames spelt like a typed word, the accounts of the best few.
SPELLING_SURNAMES = 5
_WORD = re.compile(r"[^\W\d_]+")


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
        if _spelling_wanted(q, hits, limit):
            for account, score, surname in _by_spelling(q):
                _merge(hits, [(account, score)], f"surname spelt like {surname}")
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


def _spelling_wanted(text: str, hits: dict[int, Hit], limit: int) -> bool:
    """Only for a name (no digits, so not an address), when nothing matched it
    exactly and the closer matches leave room among the results."""
    if any(c.isdigit() for c in text) or any(hit.score >= 1.0 for hit in hits.values()):
        return False
    return sum(hit.score > SPELLING_TOP for hit in hits.values()) < limit


def _by_spelling(text: str) -> list[tuple[Account, float, str]]:
    """Surnames a typed word may have meant: spelt within a few edits of it
    ("Smiht", "Jonhson", "Gracia"), found by how they sound (Double Metaphone,
    either key) or by their first two letters (or first and third, for a swap
    of the second and third: "Mroeno"), then the accounts of the best few, the
    one whose first name is like the other words typed first."""
    words = [w.lower() for w in _WORD.findall(text) if len(w) >= 3][:3]
    found = []
    for word in words:
        if surnames := _surnames_spelt_like(word):
            others = " ".join(w for w in words if w != word)
            found += _accounts_with_surnames(surnames, others)
    return found


def _allowed_edits(word: str) -> int:
    """Edits (Levenshtein: a swap of two letters counts two) a typed surname
    may be away from the real one."""
    return 1 if len(word) <= 3 else 2 if len(word) <= 8 else 3


def _surnames_spelt_like(word: str) -> dict[str, float]:
    """The closest few surnames to a typed word, each scored 0 to
    SPELLING_TOP - SPELLING_BASE: how few edits (a swap counts one here), then
    whether it has the same letters (a transposition) and sounds alike."""
    scored = {}
    for surname, sounds_alike in _surnames_within_edits(word, _allowed_edits(word)):
        closeness = 1 - _edits(word, surname) / max(len(word), len(surname))
        scored[surname] = (
            0.15 * closeness + 0.04 * (sorted(surname) == sorted(word)) + 0.04 * sounds_alike
        )
    best = sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:SPELLING_SURNAMES]
    return dict(best)


# One branch of the loose index scan in _surnames_within_edits: the first
# surname in a range of an index, then each next one after the last found,
# one probe per distinct surname, so the people of a common surname (1,300
# Smiths at 200,000 accounts) are stepped over, never read.
_SKIP_SCAN = """{name}(surname) AS (
    (SELECT lower(last_name) FROM accounts_person WHERE {where} ORDER BY {order} LIMIT 1)
    UNION ALL
    SELECT (SELECT lower(last_name) FROM accounts_person
             WHERE {where} AND {after} ORDER BY {order} LIMIT 1)
      FROM {name} WHERE surname IS NOT NULL
)"""


def _surnames_within_edits(word: str, allowed: int) -> list[tuple[str, bool]]:
    """The distinct lower-case surnames, other than the word, that sound like
    it (either Double Metaphone key of the word equals either key of the
    surname: indexes ``person_sound_surname`` and ``person_sound_alt_surname``,
    the key then the surname) or start with its first two letters or its
    first and third (``person_surname_lower``, text_pattern_ops, so bytewise)
    and are at most ``allowed`` edits away (Levenshtein), one more if they
    sound alike; each with whether it does."""
    branches, params = [], []
    for column in ("dmetaphone", "dmetaphone_alt"):
        for key in ("dmetaphone", "dmetaphone_alt"):
            where = f"{column}(last_name) = {key}(%s)"
            branches.append((where, "lower(last_name) > {name}.surname", "lower(last_name)"))
            params += [word, word]
    # A string from the prefix up to (not including) the prefix with its last
    # letter's successor starts with the prefix: UTF-8 keeps code point order.
    for prefix in sorted({word[:2], word[0] + word[2]}):
        where = "lower(last_name) ~>=~ %s AND lower(last_name) ~<~ %s"
        branches.append(
            (where, "lower(last_name) ~>~ {name}.surname", "lower(last_name) USING ~<~")
        )
        params += [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)] * 2
    ctes = [
        _SKIP_SCAN.format(
            name=f"branch{i}", where=where, after=after.format(name=f"branch{i}"), order=order
        )
        for i, (where, after, order) in enumerate(branches)
    ]
    union = " UNION ".join(f"SELECT surname FROM branch{i}" for i in range(len(branches)))
    sql = f"""WITH RECURSIVE {", ".join(ctes)}
        SELECT surname, sounds_alike FROM (
            SELECT surname,
                   dmetaphone(surname) IN (dmetaphone(%s), dmetaphone_alt(%s))
                   OR dmetaphone_alt(surname) IN (dmetaphone(%s), dmetaphone_alt(%s))
                       AS sounds_alike
              FROM ({union}) AS candidates
             WHERE surname IS NOT NULL AND surname <> %s
        ) AS candidates
        WHERE levenshtein_less_equal(surname, %s, %s) <= %s + sounds_alike::int"""
    params += [word] * 6 + [allowed + 1, allowed]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _edits(a: str, b: str) -> int:
    """Edit distance where swapping two neighbouring letters is one edit
    (optimal string alignment), as a typist makes them."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    return previous[-1]


# The best links of some surnames' people, read person first: the people of
# those surnames through ``person_surname_lower``, their links, their accounts'
# numbers, the best LIMIT. Left to itself, the planner walks every account in
# number order looking for them (a parallel scan of thousands of accounts for
# 25 Smiths); MATERIALIZED keeps the people first.
_LINKS_OF_SURNAMES = """
    WITH people AS MATERIALIZED (
        SELECT id, first_name FROM accounts_person WHERE lower(last_name) = ANY(%s)
    )
    SELECT link.id, similarity(people.first_name, %s) AS first
      FROM people
      JOIN accounts_accountperson AS link ON link.person_id = people.id
      JOIN accounts_account AS account ON account.id = link.account_id
     ORDER BY first DESC, account.number
     LIMIT %s"""


def _accounts_with_surnames(
    surnames: dict[str, float], others: str
) -> list[tuple[Account, float, str]]:
    """The accounts of the surnames, best surname first, then the holder whose
    first name is most like ``others`` (trigram similarity), then by account
    number: a surname at a time (those of one score together), so a common one
    fills the results from its own people and the rest are never read; the
    accounts and people loaded only for the links kept."""
    found: list[tuple[Account, float, str]] = []
    for rank in sorted(set(surnames.values()), reverse=True):
        if len(found) >= LIMIT:
            break
        group = [surname for surname, score in surnames.items() if score == rank]
        with connection.cursor() as cursor:
            cursor.execute(_LINKS_OF_SURNAMES, [group, others, LIMIT - len(found)])
            best = cursor.fetchall()
        links = AccountPerson.objects.select_related("account", "person").in_bulk(
            [link_id for link_id, _ in best]
        )
        found += [
            (
                links[link_id].account,
                SPELLING_BASE + rank + 0.03 * (first if others else 0.0),
                links[link_id].person.last_name,
            )
            for link_id, first in best
        ]
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

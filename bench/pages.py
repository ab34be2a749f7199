"""Search and account-page latency through the real stack, at city scale.

    DATABASE_URL=... python -m bench.pages --accounts 200000 --json

Uses the database ``<name>_pages`` beside the one in DATABASE_URL (created
and migrated when missing; kept between runs, as seeding takes minutes).
Seeds the demo city up to N accounts when the database has fewer (seed_demo,
12 months of history, 5 accounts with 5 years), then times requests through
Django's test client (URL routing, middleware, views, templates, queries):
searches of every kind a clerk types (misspelt surnames by kind: a dropped
or doubled letter, a transposition, a substitution, a sound-alike spelling,
with the share of each that found the surname meant), and account pages of random accounts
and of the 5-year ones; and, as the floor, a request for a missing account
(the same stack, no account work) and a database round trip. Prints
percentiles in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time

from bench.database import bench_database


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[index], 1)


def timed(client, url, params=None, expect=(200,)):
    return timed_response(client, url, params, expect)[0]


def timed_response(client, url, params=None, expect=(200,)):
    started = time.perf_counter()
    response = client.get(url, params or {})
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code not in expect:
        raise SystemExit(f"{url} {params} answered {response.status_code}")
    return elapsed, response


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=200_000)
    parser.add_argument("--samples", type=int, default=300, help="requests per measure")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    bench_database("pages", recreate=False)
    import django

    django.setup()
    from django.conf import settings

    # Measure as production runs: no per-query debug logging.
    settings.DEBUG = False
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import Account, Meter, Person, Premise

    seeded_seconds = None
    if Account.objects.count() < args.accounts:
        started = time.monotonic()
        call_command("seed_demo", accounts=args.accounts, force=True, verbosity=0)
        seeded_seconds = round(time.monotonic() - started)

    rng = random.Random(args.seed)
    client = Client(HTTP_HOST="localhost")
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="clerk"))
    count = Account.objects.count()
    max_pk = Account.objects.order_by("-pk").values_list("pk", flat=True).first()

    def random_accounts(n):
        picked = []
        while len(picked) < n:
            ids = [rng.randint(1, max_pk) for _ in range(n)]
            picked += list(Account.objects.filter(pk__in=ids).values_list("number", flat=True))
        return picked[:n]

    def misspell(word):
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]

    def transpose(word):
        i = rng.randrange(1, len(word) - 2)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]

    def substitute(word):
        i = rng.randrange(2, len(word))
        return word[:i] + rng.choice([c for c in "aeiourstnl" if c != word[i]]) + word[i + 1 :]

    # Spellings that sound the same ("Smyth" for Smith, "Gonsalez", "Jonsen").
    sound_alikes = [("i", "y"), ("y", "i"), ("z", "s"), ("s", "z"), ("ph", "f"), ("c", "k")]
    sound_alikes += [("son", "sen"), ("sen", "son"), ("ee", "ea"), ("ll", "l"), ("tt", "t")]

    def respell(word):
        options = [(a, b) for a, b in sound_alikes if a in word[1:]]
        if not options:
            return None
        a, b = rng.choice(options)
        return word[0] + word[1:].replace(a, b, 1)

    people = list(
        Person.objects.filter(pk__in=[rng.randint(1, max_pk) for _ in range(args.samples)])
        .exclude(last_name="")
        .values_list("first_name", "last_name", "phone")
    )
    premises = list(
        Premise.objects.filter(
            pk__in=[rng.randint(1, max_pk) for _ in range(args.samples)]
        ).values_list("house_number", "direction", "street_name", "street_type")
    )
    meters = list(
        Meter.objects.filter(
            pk__in=[rng.randint(1, max_pk) for _ in range(args.samples)]
        ).values_list("number", flat=True)
    )
    spelled = {"N": "North", "S": "South", "E": "East", "W": "West"}
    long_type = {"Rd": "Road", "St": "Street", "Dr": "Drive", "Ave": "Avenue", "Cir": "Circle"}
    queries = []
    # Each misspelt surname and the one meant, to count how often it was found.
    meant = {}
    for first, last, phone in people:
        queries.append(("name", misspell(last) if len(last) > 4 else last))
        misspelt = [("phonetic", respell(last))]
        if len(last) > 4:
            misspelt += [("transposition", transpose(last)), ("substitution", substitute(last))]
        for kind, typed in misspelt:
            if typed is not None and typed != last:
                queries.append((kind, typed))
                meant[typed] = last
        queries.append(("full name", f"{first} {last}"))
        queries.append(("phone", f"({phone[:3]}) {phone[3:6]}-{phone[6:]}"))
    for number, direction, street, kind in premises:
        queries.append(
            (
                "address",
                f"{number} {spelled.get(direction, direction)} {street} {long_type.get(kind, kind)}",
            )
        )
    queries += [("meter", m) for m in meters]
    queries += [("account number", n) for n in random_accounts(args.samples // 3)]
    rng.shuffle(queries)
    queries = queries[: args.samples]

    # Warm up connections, caches and templates.
    for _kind, q in queries[:20]:
        timed(client, "/accounts/", {"q": q}, expect=(200, 302))

    search, found = {}, {}
    for kind, q in queries:
        ms, response = timed_response(client, "/accounts/", {"q": q}, expect=(200, 302))
        search.setdefault(kind, []).append(ms)
        if q in meant:
            found.setdefault(kind, []).append(meant[q] in response.content.decode())
    all_search = [ms for samples in search.values() for ms in samples]

    pages = [timed(client, f"/accounts/{n}/") for n in random_accounts(args.samples)]
    long_numbers = list(Account.objects.order_by("pk").values_list("number", flat=True)[:5])
    long_pages, long_history = [], []
    for _ in range(max(1, args.samples // 25)):
        for number in long_numbers:
            long_pages.append(timed(client, f"/accounts/{number}/"))
            long_history.append(timed(client, f"/accounts/{number}/tabs/history/", expect=(200,)))

    # The floor, in the same run: a request that goes through the same stack
    # (session, login, roles, routing, a template) but finds no account, and
    # one round trip to the database.
    floor_pages = [timed(client, "/accounts/0000000000/", expect=(404,)) for _ in range(60)]
    floor_queries = []
    with connection.cursor() as cursor:
        for _ in range(300):
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            floor_queries.append((time.perf_counter() - started) * 1000)
    result = {
        "accounts": count,
        "database": f"PostgreSQL {connection.pg_version // 10000}",
        "seeded_seconds": seeded_seconds,
        "search_p50_ms": percentile(all_search, 50),
        "search_p95_ms": percentile(all_search, 95),
        "search_p95_ms_by_kind": {k: percentile(v, 95) for k, v in sorted(search.items())},
        # Of the misspelt surnames of each kind, the share whose results show the surname meant.
        "misspelt_found_by_kind": {k: round(sum(v) / len(v), 2) for k, v in sorted(found.items())},
        "account_page_p50_ms": percentile(pages, 50),
        "account_page_p95_ms": percentile(pages, 95),
        "long_history_page_p95_ms": percentile(long_pages, 95),
        "long_history_tab_p95_ms": percentile(long_history, 95),
        "floor_request_p50_ms": percentile(floor_pages, 50),
        "floor_query_p50_ms": round(statistics.median(floor_queries), 3),
        "requests": len(all_search) + len(pages) + len(long_pages) + len(long_history),
        "mean_page_ms": round(statistics.mean(pages), 1),
    }
    print(json.dumps(result, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

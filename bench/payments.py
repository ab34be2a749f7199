"""Payment-file import at lockbox scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mesa_bench \\
        python -m bench.payments --payments 50000 --json

Recreates the database ``<name>_payments`` beside DATABASE_URL's, builds
accounts (one month of history each), writes a mesa-remit/1 lockbox file of N
payments (about 2 % with a mistyped account number, so they go to suspense,
and 0.5 % repeating an earlier item) and times ``import_payments`` on it, then
imports it again (a duplicate file) and checks that nothing moved.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from bench.database import bench_database
from bench.loopback import locust_run

BASE_DIR = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 10, 31)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=50_000)
    parser.add_argument("--accounts", type=int, default=25_000)
    parser.add_argument("--cashiers", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60, help="how long the cashiers work")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    bench_database("payments", recreate=True)

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from accounts.models import Account, JournalEntry
    from billing.rules.ratebook import shipped_ratebook
    from billing.services.rates import ratebook_load
    from cashiering.services.payment_files import payment_file_import
    from demo.city import CityBuilder

    ratebook_load(shipped_ratebook())
    CityBuilder(seed=3, months=1, as_of=AS_OF, long_history=0).build(0, args.accounts)
    numbers = list(Account.objects.values_list("number", flat=True))
    rng = random.Random(5)
    lines = ["H,LBX-BENCH-1,2026-11-02,LOCKBOX"]
    total = 0
    for n in range(args.payments):
        number = rng.choice(numbers)
        if rng.random() < 0.02:
            number = number[:-1] + str((int(number[-1]) + 1) % 10)  # mistyped
        ref = f"L{n:07d}" if n < 10 or rng.random() >= 0.005 else f"L{rng.randrange(0, n):07d}"
        cents = rng.randint(2000, 40000)
        total += cents
        lines.append(
            f'P,{ref},{number},{cents // 100}.{cents % 100:02d},CHECK,{1000 + n},"Payer {n}, Mesa"'
        )
    lines.append(f"T,{args.payments},{total // 100}.{total % 100:02d},0,0.00")
    content = ("\n".join(lines) + "\n").encode()

    started = time.monotonic()
    _, outcome = payment_file_import(content=content, name="lockbox-bench.csv")
    seconds = time.monotonic() - started
    entries = JournalEntry.objects.count()
    started = time.monotonic()
    _, again = payment_file_import(content=content, name="lockbox-bench.csv")
    duplicate_seconds = time.monotonic() - started
    unchanged = JournalEntry.objects.count() == entries
    counter = _counter_load(numbers, args.cashiers, args.seconds)
    result = {
        "payments": args.payments,
        "accounts": len(numbers),
        "status": outcome.status,
        "posted": outcome.posted.count,
        "suspense": outcome.suspense.count,
        "duplicate_items": outcome.duplicate_items.count,
        "seconds": round(seconds, 1),
        "payments_per_second": round(args.payments / seconds),
        "second_import": again.status,
        "second_import_seconds": round(duplicate_seconds, 2),
        "nothing_moved_on_second_import": unchanged,
        "counter": counter,
    }
    print(json.dumps(result, indent=None if args.json else 2))
    return 0 if outcome.status == "accepted" and again.status == "duplicate" else 1


def _counter_load(numbers, cashiers: int, seconds: int) -> dict:
    """``cashiers`` locust users, each at its own drawer, against gunicorn on
    loopback; the p95 of posting a payment and loading its receipt."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cashiering.models import TenderSource
    from mesa_cs.lib.roles import Role

    group = Group.objects.get(name=Role.CASHIER.value)
    for n in range(1, cashiers + 1):
        TenderSource.objects.get_or_create(
            code=f"BENCH{n:02d}",
            defaults={"name": f"Bench drawer {n:02d}", "kind": "drawer", "office": "Bench"},
        )
        user, _ = get_user_model().objects.get_or_create(username=f"bench-cashier-{n:02d}")
        user.set_password("bench-pass-1")
        user.save()
        user.groups.set([group])
    rows = locust_run(
        "locust_counter.py",
        users=cashiers,
        seconds=seconds,
        env={"BENCH_ACCOUNTS": ",".join(numbers[:2000])},
    )
    post = rows.get("post payment + receipt", {})
    total = rows.get("Aggregated", {})
    return {
        "cashiers": cashiers,
        "seconds": seconds,
        "payments": int(post.get("Request Count", 0)),
        "post_and_receipt_p50_ms": int(Decimal(post.get("50%") or 0)),
        "post_and_receipt_p95_ms": int(Decimal(post.get("95%") or 0)),
        "failures": int(total.get("Failure Count", 0)),
    }


if __name__ == "__main__":
    sys.exit(main())

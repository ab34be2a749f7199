"""bench.ratemodel (issue 15): a rate scenario over the city with a year of
bills, modelled and saved through the product's service.

    DATABASE_URL=... python -m bench.ratemodel --accounts 200000 --json

Uses ``<name>_ratemodel`` (created and migrated when missing; kept between
runs, as seeding takes minutes). Seeds the demo city up to N accounts when it
has fewer, then times ``rate_scenario_create`` (rolled back) for the
barrel scenario (SW1.1 +3.5 %) and for every schedule in force +3.5 %, and
the floor in the same run: ``SELECT 1`` and one scan counting the year's
issued bill segments (what every scenario read before the summary the bills
keep, ``BilledDeterminant``, whose rows in the year it also counts). Goal: a
scenario in <= 10 s at 200,000 accounts.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from decimal import Decimal


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each scenario (median)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from bench.database import bench_database

    bench_database("ratemodel", recreate=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesa_cs.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.models import Account
    from billing.rules.rate_model import Change
    from billing.selectors.rate_models import determinants, year_of_billing
    from billing.services.rate_models import rate_scenario_create
    from billing.services.rates import ratebook_from_db
    from mesa_cs.lib.dates import today

    seeded_seconds = None
    if Account.objects.count() < args.accounts:
        started = time.monotonic()
        call_command("seed_demo", accounts=args.accounts, force=True, verbosity=0)
        seeded_seconds = round(time.monotonic() - started)

    year = year_of_billing(today())
    book = ratebook_from_db()
    everything = [Change(schedule=code, percent=Decimal("3.5")) for code in sorted(book.schedules)]
    scenarios = {
        "barrels_sw1_1": [Change(schedule="SW1.1", percent=Decimal("3.5"))],
        "every_schedule": everything,
    }
    by = User.objects.get(username="billing")

    def timed(changes):
        with transaction.atomic():
            started = time.monotonic()
            scenario = rate_scenario_create(
                name="bench", note="", effective=today(), changes=changes, by=by
            )
            seconds = time.monotonic() - started
            transaction.set_rollback(True)
        return seconds, scenario.result

    figures = {}
    for name, changes in scenarios.items():
        runs = sorted((timed(changes) for _ in range(args.repeat)), key=lambda run: run[0])
        seconds, result = runs[len(runs) // 2]
        figures[name] = {
            "seconds": round(seconds, 2),
            "bill_segments": sum(r["bill_segments"] for r in result["rows"]),
            "change": result["total"]["change"],
            "percent": result["total"]["percent"],
        }
    found = determinants([book.schedules[c.schedule] for c in everything], *year)
    distinct = sum(len(rows) for rows in found.values())

    with connection.cursor() as cursor:
        started = time.monotonic()
        for _ in range(100):
            cursor.execute("SELECT 1")
        select_one_ms = (time.monotonic() - started) * 10
        started = time.monotonic()
        cursor.execute(
            "SELECT COUNT(*) FROM billing_billsegment s JOIN billing_bill b ON b.id = s.bill_id "
            "WHERE b.status = 'issued' AND s.\"end\" BETWEEN %s AND %s",
            list(year),
        )
        (segments,) = cursor.fetchone()
        scan_seconds = time.monotonic() - started
        cursor.execute(
            'SELECT COUNT(*) FROM billing_billeddeterminant WHERE "end" BETWEEN %s AND %s',
            list(year),
        )
        (summary_rows,) = cursor.fetchone()

    report = {
        "accounts": Account.objects.count(),
        "seeded_seconds": seeded_seconds,
        "year": [year[0].isoformat(), year[1].isoformat()],
        "bill_segments_in_year": segments,
        "billed_determinant_rows_in_year": summary_rows,
        "distinct_determinants_every_schedule": distinct,
        "scenarios": figures,
        "floor": {
            "select_1_ms": round(select_one_ms, 3),
            "count_year_segments_s": round(scan_seconds, 2),
        },
        "goal_seconds": 10,
    }
    print(json.dumps(report, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

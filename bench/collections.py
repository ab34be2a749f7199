"""The daily collection run at city scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mesa_bench \
        python -m bench.collections --accounts 200000 --json

Uses the database ``<name>_collections`` beside the one in DATABASE_URL,
migrates it and seeds the demo city up to N accounts when it has fewer
(12 months of bills and payments; about 3 % of customers delinquent and 9 %
late payers). Then times ``collections_run`` for the day after the city's
last day (the first run: every past-due account enters its ladder), runs the
same date again (it must move nobody), and runs the next ladder day.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import timedelta

from bench.database import bench_database


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=200_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="Forget earlier benchmark runs (ladder positions and history) and start again "
        "after the city's last day (and after any notice fees earlier runs left on the ledger).",
    )
    args = parser.parse_args(argv)

    bench_database("collections", recreate=False)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from accounts.models import Account, JournalEntry
    from credit.models import CollectionRun
    from credit.services.collections import collections_run

    seeded = None
    if Account.objects.count() < args.accounts:
        started = time.monotonic()
        call_command("seed_demo", accounts=args.accounts, force=True, verbosity=0)
        seeded = round(time.monotonic() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if args.fresh:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE credit_collectionevent, credit_collectionstate, credit_collectionrun, "
                "credit_noticebatch"
            )
    # Fees posted by a run are on the ledger for good, so a rerun of the
    # benchmark starts after the last day already run.
    last = CollectionRun.objects.order_by("-run_on").values_list("run_on", flat=True).first()
    last_fee = JournalEntry.objects.filter(source_key__startswith="collection:").aggregate(
        day=Max("effective_on")
    )["day"]
    today = timezone.localdate()
    first_day = max(today, last or today, last_fee or today) + timedelta(days=1)

    timings, reports = {}, {}
    # The first run, the same date again, the next day, then the ladder's
    # notice day ($3.00 fees and door hangers), eligibility and disconnect orders.
    days = [
        ("first", first_day),
        ("again", first_day),
        ("next_day", first_day + timedelta(days=1)),
        ("notice_day", first_day + timedelta(days=10)),
        ("eligible_day", first_day + timedelta(days=20)),
        ("disconnect_day", first_day + timedelta(days=21)),
    ]
    from datetime import datetime

    import time_machine

    for label, day in days:
        # A run for a day to come is refused: move the clock to that day
        # (noon in Phoenix); time.monotonic is left alone by time-machine.
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.get_current_timezone())
        with time_machine.travel(noon, tick=True):
            started = time.monotonic()
            reports[label] = collections_run(on=day).as_dict()
            timings[label] = round(time.monotonic() - started, 2)
    result = {
        "accounts": Account.objects.count(),
        "seed_seconds": seeded,
        "seconds": timings,
        "counts": reports,
    }
    print(json.dumps(result, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Alarm permit registrations and a year's dispatch feed at city scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mesa_bench \\
        python -m bench.alarms --permits 25000 --calls 40000 --json

Recreates the database ``<name>_alarms`` beside DATABASE_URL's, migrates it,
writes an alarm companies' registrations file of N permits (Mesa addresses
and holders, 40 companies; burglary, burglary;panic, burglary;robbery) and
times ``registrations_import`` on it; then writes the last 365 days of the
dispatch feed, M calls (70 % giving the permit number, 25 % at a permit's
address spelt out, 5 % at addresses no permit has; 85 % false, 10 %
cancelled, 5 % valid; 80 % burglary) and times ``feed_import``, then the
same feed again (every call a duplicate). The floor, in the same run: each
file only parsed (``registrations_parse``, ``feed_parse``: the Python work
no import can skip) and a ``SELECT 1`` round trip. No Celery worker runs:
the letters task each import queues stays queued.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from bench.database import bench_database

BASE_DIR = Path(__file__).resolve().parent.parent
QUIET = Path("/work/wt/QUIET")


def _timed(fn, *args, profile: str | None = None, phase=None, **kwargs):
    if phase is not None:
        phase[0] = fn.__name__
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.monotonic()
    result = fn(*args, **kwargs)
    seconds = time.monotonic() - started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    return result, seconds


def _sql_timer(phases: dict, phase: list):
    """An execute wrapper adding each statement's time to its kind
    ("INSERT alarms_incident", "SELECT accounts_account", ...)."""
    import re

    table = re.compile(r'(?:INTO|FROM|UPDATE)\s+"?(\w+)"?')

    def wrapper(execute, sql, params, many, context):
        started = time.monotonic()
        try:
            return execute(sql, params, many, context)
        finally:
            found = table.search(sql)
            kind = f"{sql.split(None, 1)[0]} {found.group(1) if found else ''}"
            entry = phases.setdefault(phase[0], {}).setdefault(kind, [0, 0.0])
            entry[0] += 1
            entry[1] += time.monotonic() - started

    return wrapper


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--permits", type=int, default=25_000)
    parser.add_argument("--calls", type=int, default=40_000)
    parser.add_argument("--companies", type=int, default=40)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--profile", help="write cProfiles of the two imports as PREFIX-registrations/feed.prof"
    )
    parser.add_argument(
        "--sql-times", action="store_true", help="print the database time per statement kind"
    )
    parser.add_argument("--quiet-file", action="store_true", help=f"hold {QUIET} while timing")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    bench_database("alarms", recreate=True)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False
    from alarms.models import AlarmInvoice, AlarmPermit, Incident, Suspension
    from alarms.services.feed import feed_import, feed_parse
    from alarms.services.registrations import registrations_import, registrations_parse
    from demo import alarms as gen
    from mesa_cs.lib.dates import today

    sql_times: dict[str, dict] = {"setup": {}}
    phase = ["setup"]
    if args.sql_times:
        connection.execute_wrappers.append(_sql_timer(sql_times, phase))
    on = today()
    rng = random.Random(args.seed)
    rows = gen.registration_rows(
        rng, args.permits, companies=gen.company_names(args.companies), on=on
    )
    registrations = gen.registrations_csv(rows)

    holding = args.quiet_file and not QUIET.exists()
    if holding:
        QUIET.touch()
    try:
        _, parse_registrations = _timed(registrations_parse, registrations.decode(), on)
        (reg_summary, _), reg_seconds = _timed(
            registrations_import,
            content=registrations,
            filename="registrations-bench.csv",
            profile=args.profile and f"{args.profile}-registrations.prof",
            phase=phase,
        )
        if reg_summary["errors"]:
            print(json.dumps(reg_summary["errors"][:5]), file=sys.stderr)
            return 1
        feed = gen.feed_csv(
            gen.feed_lines(rng, gen.premises_of(reg_summary, rows), args.calls, on=on)
        )
        _, parse_feed = _timed(feed_parse, feed.decode())
        (feed_summary, _), feed_seconds = _timed(
            feed_import,
            content=feed,
            filename="cad-bench.csv",
            profile=args.profile and f"{args.profile}-feed.prof",
            phase=phase,
        )
        invoices = AlarmInvoice.objects.count()
        (again, _), again_seconds = _timed(feed_import, content=feed, filename="cad-bench.csv")
        with connection.cursor() as cursor:
            started = time.monotonic()
            for _ in range(100):
                cursor.execute("SELECT 1")
            select_ms = (time.monotonic() - started) * 10
    finally:
        if holding:
            QUIET.unlink(missing_ok=True)

    matched = {
        m: Incident.objects.filter(matched_by=m).count()
        for m in ("permit_number", "address", "none")
    }
    result = {
        "date": on.isoformat(),
        "permits": args.permits,
        "calls": args.calls,
        "registrations_seconds": round(reg_seconds, 2),
        "feed_seconds": round(feed_seconds, 2),
        "registrations_plus_feed_seconds": round(reg_seconds + feed_seconds, 2),
        "reimport_seconds": round(again_seconds, 2),
        "floor": {
            "parse_registrations_seconds": round(parse_registrations, 2),
            "parse_feed_seconds": round(parse_feed, 2),
            "select_1_ms": round(select_ms, 3),
        },
        "registrations": {
            "created": reg_summary["created"],
            "renewed": reg_summary["renewed"],
            "errors": len(reg_summary["errors"]),
        },
        "feed": {
            **feed_summary["incidents"],
            "matched": matched,
            "assessments": len(feed_summary["assessments"]),
            "total_assessed": feed_summary["total_assessed"],
            "suspensions": len(feed_summary["suspensions"]),
        },
        "reimport": again["incidents"],
        "permits_active": AlarmPermit.objects.filter(status="active").count(),
        "suspended": Suspension.objects.count(),
        "invoices": invoices,
        "nothing_new_on_reimport": AlarmInvoice.objects.count() == invoices
        and again["incidents"]["new"] == 0,
    }
    if args.sql_times:
        result["sql_seconds"] = {
            name: {
                kind: [count, round(seconds, 2)]
                for kind, (count, seconds) in sorted(times.items(), key=lambda kv: -kv[1][1])[:12]
            }
            for name, times in sql_times.items()
            if name != "setup"
        }
    print(json.dumps(result, indent=None if args.json else 2))
    return 0 if result["nothing_new_on_reimport"] and not feed_summary["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())

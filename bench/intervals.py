"""A month of the phone system's 15-minute interval data for 6 queues,
imported at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mesa_bench \\
        python -m bench.intervals --json

Recreates the database ``<name>_intervals`` beside DATABASE_URL's, migrates
it, writes the last full month of interval data with the demo's generator
(``demo/calls.py``: every queue's row for each of the day's 96 intervals,
and the rows of its 5 agents while they are logged in) and times
``intervals_import`` on it (what the upload page calls), ``--runs`` times
on an emptied table. Then the same file again (recognised by its sha256)
and the same rows in other bytes (CRLF line ends: every row compared with
those recorded, none new). The floor, in the same run: the file only
parsed (``intervals_parse``: the reading and checking no import can skip),
the parsed rows COPYed into a bare temporary table (no index, constraint
or key) and a ``SELECT 1`` round trip.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import timedelta

from bench.database import bench_database


def _timed(fn, *args, **kwargs):
    started = time.monotonic()
    result = fn(*args, **kwargs)
    return result, time.monotonic() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    bench_database("intervals", recreate=True)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    settings.DEBUG = False
    from demo.calls import QUEUES, calls_csv
    from mesa_cs.lib.dates import today
    from staffing.models import CallInterval, IntervalFile
    from staffing.services.intervals import COLUMNS, intervals_import, intervals_parse

    on = today()
    end = on.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    content = calls_csv(start, end, seed=args.seed)

    (rows, errors), parse_seconds = _timed(intervals_parse, content.decode(), timezone.now())
    if errors:
        print(json.dumps(errors[:5]), file=sys.stderr)
        return 1
    with transaction.atomic(), connection.cursor() as cursor:
        columns = ", ".join(CallInterval._meta.get_field(name).column for name in COLUMNS)
        cursor.execute(
            f"CREATE TEMP TABLE bare_intervals ON COMMIT DROP AS SELECT {columns} "
            "FROM staffing_callinterval WITH NO DATA"
        )
        started = time.monotonic()
        with cursor.cursor.copy(f"COPY bare_intervals ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row.values())
        copy_seconds = time.monotonic() - started

    times = []
    for _ in range(args.runs):
        CallInterval.objects.all().delete()
        IntervalFile.objects.all().delete()
        (summary, _), seconds = _timed(
            intervals_import, content=content, filename="intervals-bench.csv"
        )
        if summary["errors"]:
            print(json.dumps(summary["errors"][:5]), file=sys.stderr)
            return 1
        times.append(seconds)
    recorded = CallInterval.objects.count()
    (again, _), again_seconds = _timed(
        intervals_import, content=content, filename="intervals-bench.csv"
    )
    crlf = content.replace(b"\n", b"\r\n")
    (other, _), other_seconds = _timed(
        intervals_import, content=crlf, filename="intervals-bench-crlf.csv"
    )
    with connection.cursor() as cursor:
        started = time.monotonic()
        for _ in range(100):
            cursor.execute("SELECT 1")
        select_ms = (time.monotonic() - started) * 10
    with open("/proc/loadavg") as load:
        loadavg = load.read().split()[0]

    result = {
        "date": on.isoformat(),
        "month": f"{start:%Y-%m}",
        "queues": len(QUEUES),
        "rows": summary["read"],
        "queue_rows": CallInterval.objects.filter(agent_id="").count(),
        "bytes": len(content),
        "import_seconds": [round(t, 2) for t in times],
        "import_median_seconds": round(statistics.median(times), 2),
        "same_file_again_seconds": round(again_seconds, 3),
        "same_rows_other_bytes_seconds": round(other_seconds, 2),
        "floor": {
            "parse_seconds": round(parse_seconds, 2),
            "bare_copy_seconds": round(copy_seconds, 2),
            "select_1_ms": round(select_ms, 3),
        },
        "load_average": loadavg,
        "recorded": recorded,
        "nothing_new_on_reimport": again["new"] == 0
        and other["new"] == 0
        and other["errors"] == []
        and CallInterval.objects.count() == recorded,
        "goal_met": statistics.median(times) <= 2.0,
    }
    print(json.dumps(result, indent=None if args.json else 2))
    return 0 if result["nothing_new_on_reimport"] else 1


if __name__ == "__main__":
    sys.exit(main())

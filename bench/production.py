"""A month of route production for 60 routes, imported at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mesa_bench \\
        python -m bench.production --routes 60 --json

Recreates the database ``<name>_production`` beside DATABASE_URL's, migrates
it, makes N routes in the demo's mix (``demo/solidwaste.py``: half
residential refuse, recycling, green waste and commercial front-load, each
with its truck and regular operator, relief operators and foremen), writes
the last full month of their crew sheets (weekdays, and Saturdays for the
commercial routes; a relief operator one day in twenty) and times
``production_import`` on it (what ``import_route_production`` and the
upload page call), then the same file again (every line already recorded).
The floor, in the same run: the file only parsed (``production_parse``:
the reading and checking no import can skip) and a ``SELECT 1`` round trip.
"""

from __future__ import annotations

import argparse
import json
import random
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
    parser.add_argument("--routes", type=int, default=60)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    bench_database("production", recreate=True)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False
    from demo.solidwaste import fleet_create, production_csv, sheet_lines
    from mesa_cs.lib.dates import today
    from solidwaste.models import ProductionEntry
    from solidwaste.services.production import production_import, production_parse

    on = today()
    end = on.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    crews = fleet_create(args.routes, seed=args.seed)
    content = production_csv(sheet_lines(random.Random(args.seed), crews, start, end))

    _, parse_seconds = _timed(production_parse, content.decode(), on)
    (summary, _), import_seconds = _timed(
        production_import, content=content, filename="crew-sheets-bench.csv"
    )
    if summary["errors"]:
        print(json.dumps(summary["errors"][:5]), file=sys.stderr)
        return 1
    entries = ProductionEntry.objects.count()
    (again, _), again_seconds = _timed(
        production_import, content=content, filename="crew-sheets-bench.csv"
    )
    with connection.cursor() as cursor:
        started = time.monotonic()
        for _ in range(100):
            cursor.execute("SELECT 1")
        select_ms = (time.monotonic() - started) * 10

    result = {
        "date": on.isoformat(),
        "routes": args.routes,
        "month": f"{start:%Y-%m}",
        "lines": summary["read"],
        "bytes": len(content),
        "import_seconds": round(import_seconds, 2),
        "reimport_seconds": round(again_seconds, 2),
        "floor": {"parse_seconds": round(parse_seconds, 2), "select_1_ms": round(select_ms, 3)},
        "recorded": summary["new"],
        "reimport": {"new": again["new"], "already_recorded": again["already_recorded"]},
        "nothing_new_on_reimport": again["new"] == 0 and ProductionEntry.objects.count() == entries,
    }
    print(json.dumps(result, indent=None if args.json else 2))
    return 0 if result["nothing_new_on_reimport"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""bench.queues (issue 16): staff pulling "Next item" concurrently from a
city's worth of open work, through the real stack on loopback.

    DATABASE_URL=... python -m bench.queues --items 100000 --staff 40 --json

Recreates ``<name>_queues``, opens N work items spread over the five
sections' kinds (set-wise, with each kind's service level: priority, due
date, skill), makes S staff logins (an even share per section, each with the
section's skills), then runs gunicorn (3 workers) and locust on loopback for
the given seconds: every user pulls the next item with a short think time.
Timed: the POST of "Next item" (the pick, the lock and the assignment); the
floor in the same run is a GET of the same URL, which goes through the same
session, user, role and CSRF stack and is refused before any queue work.
Checked afterwards: every pull handed a different item, and every item
handed is assigned. Goal: p95 <= 100 ms with 100,000 open
items and 40 staff, none handed twice.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from bench.database import bench_database
from bench.loopback import locust_run

# The kinds each section's queue holds, as the apps raise them.
KINDS = {
    "contact_center": ["callback", "complaint", "enquiry"],
    "business_office": ["suspense_payment", "unmatched_return", "refund_approval"],
    "account_maintenance": ["read_exception", "bill_run_exception", "alarm_research"],
    "credit": ["deposit_dispute", "dispute", "final_bill_collection"],
    "solid_waste": ["missed_pickup", "complaint"],
}
SECTION_ROLE = {
    "contact_center": "CLERK",
    "business_office": "CASHIER",
    "account_maintenance": "BILLING",
    "credit": "CREDIT",
    "solid_waste": "EMS",
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--staff", type=int, default=40)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    bench_database("queues", recreate=True)
    import django

    django.setup()
    from staffing.models import WorkItem

    started = time.monotonic()
    _open_items(args.items)
    _staff(args.staff)
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would after a load this size
        cursor.execute("ANALYZE staffing_workitem")
    seeded = round(time.monotonic() - started, 1)
    with tempfile.NamedTemporaryFile(suffix=".json") as handed_file:
        rows = locust_run(
            "locust_queues.py",
            users=args.staff,
            seconds=args.seconds,
            env={"BENCH_HANDED": handed_file.name},
        )
        handed = json.loads(Path(handed_file.name).read_text() or "[]")
    assigned = set(
        WorkItem.objects.filter(assignee__username__startswith="bench-staff-").values_list(
            "pk", flat=True
        )
    )
    pull, floor = rows.get("next item", {}), rows.get("floor", {})
    result = {
        "items": args.items,
        "staff": args.staff,
        "seconds": args.seconds,
        "seeded_seconds": seeded,
        "pulls_timed": int(pull.get("Request Count", 0)),
        "next_p50_ms": int(Decimal(pull.get("50%") or 0)),
        "next_p95_ms": int(Decimal(pull.get("95%") or 0)),
        "floor_p50_ms": int(Decimal(floor.get("50%") or 0)),
        "floor_p95_ms": int(Decimal(floor.get("95%") or 0)),
        "failures": int(rows.get("Aggregated", {}).get("Failure Count", 0)),
        "handed": len(handed),
        "handed_twice": len(handed) - len(set(handed)),
        # A pull cut off when the run stopped may have assigned an item
        # locust never read; every item read was assigned, to one person.
        "assigned": len(assigned),
        "handed_all_assigned": set(handed) <= assigned,
    }
    print(json.dumps(result, indent=None if args.json else 2))
    ok = result["handed_twice"] == 0 and result["handed_all_assigned"] and handed
    return 0 if ok else 1


def _open_items(count: int) -> None:
    """Open work in every queue, opened over the last 30 days, through the
    kinds' service levels, in one bulk insert per 10,000."""
    from django.utils import timezone

    from staffing.models import WorkItem, WorkKind
    from staffing.services import service_level_apply

    rng = random.Random(16)
    levels = {k.kind: k for k in WorkKind.objects.all()}
    now = timezone.now()
    batch = []
    for n in range(count):
        section = rng.choice(list(KINDS))
        kind = rng.choice(KINDS[section])
        item = WorkItem(
            kind=kind,
            section=section,
            title=f"Bench item {n}",
            opened_at=now - timedelta(minutes=rng.randint(0, 30 * 24 * 60)),
            source_key=f"bench:{n}",
        )
        service_level_apply(item, levels.get(kind), asked=rng.choice([None, None, None, 4]))
        item.priority = item.priority or WorkItem.Priority.NORMAL
        batch.append(item)
        if len(batch) == 10_000:
            WorkItem.objects.bulk_create(batch)
            batch = []
    WorkItem.objects.bulk_create(batch)


def _staff(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from mesa_cs.lib.roles import Role
    from staffing.models import Skill, StaffProfile

    skills = list(Skill.objects.all())
    sections = list(KINDS)
    for n in range(1, count + 1):
        section = sections[(n - 1) % len(sections)]
        user, _ = get_user_model().objects.get_or_create(username=f"bench-staff-{n:02d}")
        user.set_password("bench-pass-1")
        user.save()
        user.groups.set([Group.objects.get(name=Role[SECTION_ROLE[section]].value)])
        profile, _ = StaffProfile.objects.get_or_create(user=user, defaults={"section": section})
        profile.skills.set(skills)  # every skill: the pull is never starved by one


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesa_cs.settings")
    sys.exit(main())

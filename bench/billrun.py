"""Bill-run throughput through the real path: Celery worker processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mesa_bench \
        python -m bench.billrun --accounts 200000 --json

Creates (or recreates) the database ``<name>_billrun`` beside the one in
DATABASE_URL, migrates it, builds N accounts whose last period (October 2026)
has reads but no bill, starts one Celery worker process per core on a private
queue, runs billing for all cycles on 2026-10-31 and times it from the start
of the run to its completion. Then it re-prices a sample of accounts with the
one-by-one path (``bill_compute``) and compares, and times one bill PDF.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

from bench.database import bench_database

BASE_DIR = Path(__file__).resolve().parent.parent
BILL_ON = date(2026, 10, 31)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    bench_database("billrun", recreate=True)
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = queue
    os.environ["BILL_RUN_WORKERS"] = str(args.workers)

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from accounts.models import Account
    from billing.models import Bill, BillRun, BillSegment, HeatContentFactor
    from billing.pdf import bill_pdf
    from billing.rules.ratebook import shipped_ratebook
    from billing.services.bills import bill_compute
    from billing.services.rates import ratebook_from_db, ratebook_load
    from billing.services.runs import bill_run_start, period_end_for
    from demo.city import CityBuilder

    ratebook_load(shipped_ratebook())
    for year in (2025, 2026):
        for month in range(1, 13):
            HeatContentFactor.objects.get_or_create(
                month=date(year, month, 1), defaults={"factor": "1.0300"}
            )
    started = time.monotonic()
    CityBuilder(
        seed=1, months=3, as_of=BILL_ON, long_history=0, unbilled_from=date(2026, 10, 1)
    ).build(0, args.accounts)
    built_seconds = time.monotonic() - started

    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mesa_cs",
                "worker",
                "-Q",
                queue,
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{queue}-{n}@%h",
                "--loglevel=WARNING",
            ],
            cwd=BASE_DIR,
            env=dict(os.environ),
        )
        for n in range(args.workers)
    ]
    try:
        time.sleep(3)  # let the workers connect
        started = time.monotonic()
        run = bill_run_start(cycle=None, bill_on=BILL_ON)
        while run.status != BillRun.Status.COMPLETED:
            time.sleep(0.2)
            run.refresh_from_db()
        seconds = time.monotonic() - started
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)

    bills = Bill.objects.filter(run=run)
    book = ratebook_from_db()
    sample = list(bills.order_by("?")[: args.sample].select_related("account"))
    mismatches = [
        bill.account.number
        for bill in sample
        if bill_compute(bill.account, period_end_for(bill.account.bill_cycle, BILL_ON), book).total
        != bill.current_charges
    ]
    pdf_bill = sample[0]
    bill_pdf(pdf_bill)
    pdf_times = []
    for bill in sample[:10]:
        t = time.perf_counter()
        bill_pdf(bill)
        pdf_times.append((time.perf_counter() - t) * 1000)
    result = {
        "accounts": Account.objects.count(),
        "service_agreements": BillSegment.objects.filter(bill__run=run).count(),
        "bills": run.billed,
        "exceptions": run.exceptions,
        "seconds": round(seconds, 1),
        "bills_per_second": round(run.billed / seconds, 1),
        "workers": args.workers,
        "sample_checked": len(sample),
        "sample_mismatches": mismatches,
        "pdf_ms_median": round(sorted(pdf_times)[len(pdf_times) // 2], 1),
        "build_seconds": round(built_seconds, 1),
    }
    print(json.dumps(result, indent=None if args.json else 2))
    return 0 if not mismatches else 1


if __name__ == "__main__":
    sys.exit(main())

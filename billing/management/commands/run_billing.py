import json
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from billing.models import BillRun
from billing.services.runs import BillRunError, bill_run_start, bill_run_summary


class Command(BaseCommand):
    help = "Start a bill run for one cycle or all; Celery workers bill it in chunks."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="1-20 or 'all'")
        parser.add_argument("--bill-date", required=True, type=date.fromisoformat)
        parser.add_argument("--wait", action="store_true", help="Wait until the run completes.")
        parser.add_argument("--timeout", type=int, default=3600, help="Seconds --wait waits.")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        cycle = options["cycle"]
        if cycle != "all" and not (cycle.isdigit() and 1 <= int(cycle) <= 20):
            raise CommandError("--cycle is a number from 1 to 20, or 'all'")
        try:
            run = bill_run_start(
                cycle=None if cycle == "all" else int(cycle), bill_on=options["bill_date"]
            )
        except BillRunError as exc:
            raise CommandError(str(exc)) from exc
        if options["wait"]:
            deadline = time.monotonic() + options["timeout"]
            while run.status not in (BillRun.Status.COMPLETED, BillRun.Status.FAILED):
                if time.monotonic() > deadline:
                    raise CommandError(f"run {run.pk} did not finish in {options['timeout']} s")
                time.sleep(0.5)
                run.refresh_from_db()
        summary = bill_run_summary(run)
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"Run {run.pk} ({summary['status']}): {summary['accounts']} accounts, "
                f"{summary['bills']} bills, {summary['exceptions']} exceptions."
            )

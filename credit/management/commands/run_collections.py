import datetime
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mesa_cs.lib.audit import audit_context


class Command(BaseCommand):
    help = (
        "Advance every past-due account at most one step along its collection ladder for a "
        "date. Safe to run twice for the same date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")

    def handle(self, *args, **options):
        from credit.services.collections import CollectionsError, collections_run

        on = options["date"] or timezone.localdate()
        with audit_context(command="run_collections"):
            try:
                report = collections_run(on=on).as_dict()
            except CollectionsError as exc:
                raise CommandError(str(exc)) from exc
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        for key, value in report.items():
            self.stdout.write(f"{key}: {value}")

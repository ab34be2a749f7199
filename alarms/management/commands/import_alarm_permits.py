import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alarms.services.registrations import registrations_import
from mesa_cs.lib.audit import audit_context


class Command(BaseCommand):
    help = (
        "Import an alarm company's permit registrations (CSV, interchange_formats.md). "
        "All or nothing; exit 0 only when every row was registered."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, file, **options):
        try:
            content = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        with audit_context(command="import_alarm_permits", file=Path(file).name):
            summary, _ = registrations_import(content=content, filename=Path(file).name)
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(f"created {summary['created']}, renewed {summary['renewed']}")
            for error in summary["errors"]:
                self.stdout.write(f"line {error['line']}: {error['reason']}")
        if summary["errors"]:
            raise SystemExit(1)

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alarms.services.feed import feed_import
from mesa_cs.lib.audit import audit_context


class Command(BaseCommand):
    help = (
        "Import the Police Department's alarm dispatch feed (CSV, interchange_formats.md). "
        "Exit 0 when every row was read; 1 when a row or the whole file was refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, file, **options):
        try:
            content = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        with audit_context(command="import_false_alarms", file=Path(file).name):
            summary, _ = feed_import(content=content, filename=Path(file).name)
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            counts = summary["incidents"]
            self.stdout.write(
                f"read {counts['read']}, new {counts['new']}, duplicates {counts['duplicates']}, "
                f"errors {counts['errors']}; assessed ${summary['total_assessed']}, "
                f"{len(summary['suspensions'])} suspended"
            )
            for error in summary["errors"]:
                self.stdout.write(f"line {error['line']}: {error['reason']}")
        if summary["errors"]:
            raise SystemExit(1)

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mesa_cs.lib.audit import audit_context
from solidwaste.services.production import production_import


class Command(BaseCommand):
    help = (
        "Import route production (crew sheets) from a CSV file: work_on, route, truck, "
        "operator, lifts, stops, tons, hours, misses, overtime_hours. All or nothing; "
        "exit 0 only when every line was recorded or already was."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        with audit_context(command="import_route_production", file=path.name):
            summary, _ = production_import(content=content, filename=path.name)
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"read {summary['read']}, recorded {summary['new']}, "
                f"already recorded {summary['already_recorded']}"
            )
            for error in summary["errors"]:
                self.stdout.write(f"line {error['line']}: {error['reason']}")
        if summary["errors"]:
            raise SystemExit(1)

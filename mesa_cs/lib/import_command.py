"""What every file import's management command does (the alarm feed and
registrations, the phone system's call intervals): read the file, import it
with the audit trail naming the command, print the summary and every
refused line (or the summary as JSON), exit 1 on any error."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mesa_cs.lib.audit import audit_context


class ImportCommand(BaseCommand):
    """Each command names itself (``command``, for the audit trail) and
    defines ``run_import(content, filename) -> summary`` and
    ``describe(summary) -> str`` (the line printed without --json)."""

    command = ""

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, file, **options):
        try:
            content = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        with audit_context(command=self.command, file=Path(file).name):
            summary = self.run_import(content, Path(file).name)
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(self.describe(summary))
            for error in summary["errors"]:
                self.stdout.write(f"line {error['line']}: {error['reason']}")
        if summary["errors"]:
            raise SystemExit(1)

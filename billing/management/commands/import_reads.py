import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from billing.services.reads import reads_import


class Command(BaseCommand):
    help = "Import a handheld/AMI read file (docs/meter_reads.md). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, file, **options):
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        report = reads_import(text)
        self.stdout.write(json.dumps(report.as_dict()))
        if report.errors and not (report.accepted or report.held or report.duplicates):
            raise CommandError("nothing imported")

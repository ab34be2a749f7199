import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from billing.services.reads import reads_import
from mesa_cs.lib.imports import too_large


class Command(BaseCommand):
    help = "Import a handheld/AMI read file (docs/meter_reads.md). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, file, **options):
        try:
            if reason := too_large(Path(file).stat().st_size):
                raise CommandError(f"{file}: {reason}")
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        report = reads_import(text)
        self.stdout.write(json.dumps(report.as_dict()))
        if report.errors:
            # A file is saved whole or not at all (docs/meter_reads.md).
            raise CommandError("the file has errors; nothing was saved")

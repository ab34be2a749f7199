import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cashiering.services.payment_files import payment_file_import


class Command(BaseCommand):
    help = "Import a mesa-remit/1 payment file (docs/cashiering.md). Exit 0 only when accepted."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, file, **options):
        try:
            content = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        _, outcome = payment_file_import(content=content, name=Path(file).name)
        self.stdout.write(json.dumps(outcome.as_dict()))
        if outcome.status != "accepted":
            raise SystemExit(1)

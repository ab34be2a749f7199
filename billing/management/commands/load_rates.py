import json

from django.core.management.base import BaseCommand, CommandError

from billing.rules.ratebook import RateBookError, load_ratebook_file
from billing.services.rates import ratebook_load


class Command(BaseCommand):
    help = "Load a mesa-ratebook/1 file into the rate book. Loading the same file twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="Print the load report as JSON.")

    def handle(self, *args, file, **options):
        try:
            book = load_ratebook_file(file)
        except (OSError, RateBookError) as exc:
            raise CommandError(str(exc)) from exc
        report = ratebook_load(book)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict()))
        if report.errors:
            raise CommandError("; ".join(report.errors))
        if not options["json"]:
            self.stdout.write(
                f"Rate book {file}: {report.schedules_created} schedules and "
                f"{report.versions_created} versions added, {report.versions_replaced} replaced, "
                f"{report.versions_unchanged} unchanged."
            )

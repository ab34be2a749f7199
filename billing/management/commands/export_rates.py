import sys

import yaml
from django.core.management.base import BaseCommand, CommandError

from billing.rules.ratebook import RateBookError, ratebook_to_data
from billing.services.rates import ratebook_from_db


class Command(BaseCommand):
    help = "Write the rate book in the database as a mesa-ratebook/1 file (stdout or FILE)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Where to write (default: standard output)")

    def handle(self, *args, file=None, **options):
        try:
            data = ratebook_to_data(ratebook_from_db())
        except RateBookError as exc:
            raise CommandError(str(exc)) from exc
        text = "# City of Mesa utility rate book, exported by Mesa CS.\n" + yaml.safe_dump(
            data, sort_keys=False, allow_unicode=True, width=100
        )
        if file:
            with open(file, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text)

import json
from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from billing.services.late_fees import late_fees_assess


class Command(BaseCommand):
    help = "Assess late fees for bills due the day before --date (default today). Safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, default=None)

    def handle(self, *args, **options):
        report = late_fees_assess(on=options["date"] or timezone.localdate())
        self.stdout.write(
            json.dumps(
                {
                    "examined": report.examined,
                    "assessed": report.assessed,
                    "below_minimum": report.below_minimum,
                    "amount": str(report.amount),
                }
            )
        )

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Write the collection agency's placement file (CSV) for the referrals made on a date. "
        "Writing it twice for a date gives the same file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--out", required=True, help="Where to write the CSV file")

    def handle(self, *args, **options):
        from credit.models import AgencyReferral
        from credit.services.agency import agency_export

        day = options["date"] or timezone.localdate()
        text = agency_export(referred_on=day)
        out = Path(options["out"])
        try:
            out.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc}") from exc
        rows = AgencyReferral.objects.filter(referred_on=day).count()
        self.stdout.write(f"Wrote {rows} referral(s) placed on {day} to {out}")

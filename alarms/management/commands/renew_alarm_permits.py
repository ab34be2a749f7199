import datetime
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from alarms.services.renewals import renewals_run
from mesa_cs.lib.audit import audit_context
from mesa_cs.lib.dates import today
from mesa_cs.lib.formatting import money_text


class Command(BaseCommand):
    help = (
        "Send the renewal notices (with invoices) due by a date, 60 days before expiry, and "
        "renew or expire the permits whose term ended before it. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--json", action="store_true", help="Print what it did as JSON.")

    def handle(self, *args, **options):
        on = options["date"] or today()
        with audit_context(command="renew_alarm_permits", on=on.isoformat()):
            try:
                report = renewals_run(on=on)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(
            f"{report['date']}: {report['renewal_notices']} renewal notices "
            f"({money_text(report['amount_invoiced'])}), {len(report['renewed'])} renewed, "
            f"{len(report['expired'])} expired"
        )

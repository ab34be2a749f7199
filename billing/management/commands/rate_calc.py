import json
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from billing.rules.engine import BillInput, RateError, calculate
from billing.rules.ratebook import RateBookError
from billing.services.rates import ratebook_from_db


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date YYYY-MM-DD") from exc


def _decimal(name: str, text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise CommandError(f"--{name} {text!r} is not a number") from exc


class Command(BaseCommand):
    help = "Price one service period from the rate book, line by line (docs/pricing.md)."

    def add_arguments(self, parser):
        parser.add_argument("--schedule", required=True)
        parser.add_argument("--start", required=True, help="previous read date YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="this read date YYYY-MM-DD")
        parser.add_argument("--usage", default="0")
        parser.add_argument("--meter-size")
        parser.add_argument("--quantity", type=int, default=1)
        parser.add_argument("--service")
        parser.add_argument("--acres")
        parser.add_argument("--winter-average")
        parser.add_argument("--program", action="append", default=[])
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        bill = BillInput(
            schedule=o["schedule"],
            start=_date(o["start"]),
            end=_date(o["end"]),
            usage=_decimal("usage", o["usage"]),
            meter_size=o["meter_size"],
            quantity=o["quantity"],
            service=o["service"],
            acres=_decimal("acres", o["acres"]),
            winter_average=_decimal("winter-average", o["winter_average"]),
            programs=frozenset(o["program"]),
        )
        try:
            calculation = calculate(ratebook_from_db(), bill)
        except (RateError, RateBookError) as exc:
            raise CommandError(str(exc)) from exc
        result = calculation.as_dict()
        if o["json"]:
            self.stdout.write(json.dumps(result))
            return
        for line in calculation.lines:
            self.stdout.write(f"{line.description:<45} {line.amount:>10}   {line.explanation}")
        self.stdout.write(f"{'Total':<45} {calculation.total:>10}")

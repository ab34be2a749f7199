"""What the appeal and suspension tests share: a false alarm invoiced through
the dispatch feed, Mesa CS's today moved, and a payment."""

from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from accounts.services.ledger import payment_post
from alarms.models import AlarmInvoice
from alarms.services.feed import feed_import
from tests.alarms.conftest import PHOENIX, feed


@contextmanager
def at(day: date):
    """Mesa CS's today is ``day`` (noon in Phoenix)."""
    import time_machine

    with time_machine.travel(
        datetime(day.year, day.month, day.day, 12, tzinfo=PHOENIX), tick=False
    ):
        yield day


_numbers = iter(range(1, 10_000))


def false_alarm(
    address="1425 E University Dr", *, permit=None, alarm_type="burglary", on="2026-11-01"
) -> AlarmInvoice:
    """One false alarm from the feed, invoiced today; its invoice."""
    number = f"T-{next(_numbers):05d}"
    given = permit.number if permit else ""
    summary, _ = feed_import(
        content=feed(f"{number},{on}T10:00:00,{address},{alarm_type},false,{given}"),
        filename="cad.csv",
    )
    assert summary["errors"] == [], summary
    return AlarmInvoice.objects.get(incident__incident_number=number)


def pay(account, amount, on: date):
    return payment_post(account=account, amount=Decimal(amount), effective_on=on)

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from alarms.services.permits import Application, permit_apply

PHOENIX = ZoneInfo("America/Phoenix")
TODAY = date(2026, 11, 30)


@pytest.fixture
def on_today():
    """Mesa CS's today is 11/30/2026 (noon in Phoenix) for these tests."""
    import time_machine

    with time_machine.travel(datetime(2026, 11, 30, 12, 0, tzinfo=PHOENIX), tick=False):
        yield TODAY


@pytest.fixture
def make_permit(db, on_today):
    def make(
        address="1425 E University Dr",
        *,
        name="Maria Gonzales",
        functions=("burglary", "panic"),
        customer_class="residential",
        issued_on=date(2026, 1, 15),
        **extra,
    ):
        return permit_apply(
            Application(
                holder_name=name,
                customer_class=customer_class,
                address=address,
                zip_code="85203",
                functions=list(functions),
                issued_on=issued_on,
                **extra,
            )
        )

    return make


def feed(*rows: str) -> bytes:
    header = "incident_number,reported_at,address,alarm_type,disposition,permit_number"
    return "\n".join([header, *rows]).encode() + b"\n"

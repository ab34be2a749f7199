from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from mesa_cs.lib.dates import today
from solidwaste.models import CrewMember, Route, Truck
from solidwaste.services.production import HEADER


@pytest.fixture
def fleet(db):
    return make_fleet()


def make_fleet():
    """Two routes (one residential, 1,000 lifts a day; one commercial, 200),
    two trucks, a foreman and two operators."""
    foreman = CrewMember.objects.create(
        employee_number="1001", name="Rosa Begay", position=CrewMember.Position.FOREMAN
    )
    return {
        "foreman": foreman,
        "res": Route.objects.create(
            code="RES-101", name="Dobson Ranch Mon", service_line="residential",
            service_area="West", foreman=foreman, daily_lift_target=1000,
        ),
        "com": Route.objects.create(
            code="COM-201", name="Main St front-load", service_line="commercial",
            service_area="Central", foreman=foreman, daily_lift_target=200,
        ),
        "t1": Truck.objects.create(number="T-101"),
        "t2": Truck.objects.create(number="T-201", kind=Truck.Kind.FRONT_LOAD),
        "ana": CrewMember.objects.create(employee_number="2001", name="Ana Diaz", foreman=foreman),
        "ben": CrewMember.objects.create(employee_number="2002", name="Ben Tso", foreman=foreman),
    }  # fmt: skip


def production_csv(*lines: str) -> bytes:
    return ("\n".join([",".join(HEADER), *lines]) + "\n").encode()


def last_monday() -> date:
    """A Monday at least a week back, so a whole week of work is in the past."""
    day = today() - timedelta(days=7)
    return day - timedelta(days=day.weekday())


def entry_kwargs(fleet, **overrides):
    values = {
        "work_on": last_monday(), "route": fleet["res"], "truck": fleet["t1"],
        "operator": fleet["ana"], "lifts": 1000, "stops": 950, "tons": D("11.50"),
        "hours": D("8.00"), "misses": 1, "overtime_hours": D("0"),
    }  # fmt: skip
    return values | overrides

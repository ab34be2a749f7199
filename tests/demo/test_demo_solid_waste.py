"""The demo's EMS section (issue 15 item 9): commercial bins on service
agreements, roll-off containers and tickets, a year of route production,
and special rate codes with services billed on them."""

import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max, Min

from accounts.models import ServiceAgreement
from billing.models import Bill, BillSegment, RateVersion, SpecialRateCode
from solidwaste.models import Container, CrewMember, Order, ProductionEntry, Route, Truck

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 20)


def test_the_demo_has_the_ems_section_monthly_work_to_do(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", accounts=60, months=3, as_of=AS_OF, stdout=out)
    assert "Special rate codes:" in out.getvalue()

    # Commercial front-load bins on service agreements: a service code and a quantity
    # (some on the special codes made from SW3.1).
    bins = ServiceAgreement.objects.filter(
        utility="solid_waste", rate_schedule__in=("SW3.1", "SW-MF1", "SW-CITY1")
    )
    assert bins.filter(rate_schedule="SW3.1").exists()
    for sa in bins:
        assert re.fullmatch(r"\d+yd:[1-3]", sa.service_code), sa.service_code
        assert sa.containers >= 1
    delivered = Container.objects.filter(kind="front_load", removed_on__isnull=True)
    assert delivered.exists()
    for container in delivered.select_related("agreement"):
        assert container.service_code == container.agreement.service_code

    # Roll-off containers, and a priced roll-off ticket for each, dispatched to a roll-off route.
    roll_offs = Container.objects.filter(kind="roll_off")
    tickets = Order.objects.filter(kind="roll_off")
    assert roll_offs.exists() and tickets.count() == roll_offs.count()
    for ticket in tickets.select_related("route"):
        assert ticket.route.service_line == "roll_off"
        assert ticket.amount > 0 and ticket.entry_id is not None
        assert AS_OF <= ticket.scheduled_on <= AS_OF + timedelta(days=3)

    # A year of route production: routes, trucks, operators, foremen, daily entries.
    assert Route.objects.exclude(service_line="roll_off").count() == 20
    assert Truck.objects.count() == 20
    assert CrewMember.objects.filter(position="foreman").count() == 4
    assert CrewMember.objects.filter(position="operator").count() == 22
    span = ProductionEntry.objects.aggregate(first=Min("work_on"), last=Max("work_on"))
    assert span["last"] < AS_OF and span["first"] <= AS_OF - timedelta(days=330)
    days = ProductionEntry.objects.values("work_on").distinct().count()
    assert days > 250  # working days, with Saturdays for the commercial routes

    # Special rate codes for the three situations, in force, with services on them.
    codes = SpecialRateCode.objects.select_related("schedule", "based_on")
    assert {c.kind for c in codes} == {"hoa", "multi_family", "city"}
    for special in codes:
        assert special.created_by.username == "ems" and special.reason
        version = RateVersion.objects.get(schedule=special.schedule)
        assert version.status == "in_force"
        assert ServiceAgreement.objects.filter(rate_schedule=special.schedule.code).exists()
    # The last bill run priced homes with the HOA's version, below its base's price.
    hoa = codes.get(kind="hoa")
    segments = BillSegment.objects.filter(
        rate_schedule=hoa.schedule.code, bill__status=Bill.Status.ISSUED
    )
    assert segments.exists()
    segment = segments.first()
    assert segment.service_agreement.rate_schedule == hoa.schedule.code
    (line,) = segment.lines.filter(kind="fixed")
    assert line.rate_version.schedule_id == hoa.schedule_id
    assert 0 < line.amount < 30

    # Seeded again: nothing more.
    counts = (SpecialRateCode.objects.count(), Order.objects.count(), Container.objects.count())
    call_command("seed_demo", accounts=60, months=3, as_of=AS_OF, stdout=StringIO())
    assert (
        SpecialRateCode.objects.count(),
        Order.objects.count(),
        Container.objects.count(),
    ) == counts

"""Read entry by route (issue 13 item 5): each row says what became of its
read in place, the meters follow the route's walk, and a route of more than
100 meters is paged."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import Meter, MeterInstallation, MeterRead, Premise, ServicePoint
from billing.selectors.bills import read_entry_meters
from mesa_cs.lib.roles import Role
from tests.billing.conftest import START
from tests.factories import AccountFactory, agreement, premise

pytestmark = pytest.mark.django_db
READ_ON = START.replace(month=8, day=3)  # 30 days after the fixture's last read


def params(**extra):
    return {"cycle": 1, "route": "", "read_on": READ_ON.isoformat(), **extra}


def post(client, meter, register, **query):
    url = reverse("billing:reads") + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(
        url, {**params(), f"register-{meter.pk}": register}, HTTP_HX_REQUEST="true"
    ).content.decode()


def row(page, meter):
    start = page.index(f'id="meter-{meter.pk}"')
    return page[start : page.index("</tr>", start)]


def test_a_saved_read_says_saved_in_its_row(client_as, meter):
    page = post(client_as(Role.BILLING), meter, "9070")
    assert '<div id="read-entry">' in page and "<html" not in page  # the partial, for htmx
    assert "Saved" in row(page, meter) and 'name="register-' not in row(page, meter)
    assert "1 read saved, 0 held for review" in page
    assert MeterRead.objects.get(installation=meter, read_on=READ_ON).status == "accepted"


def test_a_held_read_says_held_and_why_in_its_row(client_as, meter):
    page = post(client_as(Role.BILLING), meter, "9300")
    held = row(page, meter)
    assert "Held" in held and "high" in held and "8.00 a day against an average of 0.33" in held
    assert "0 reads saved, 1 held for review" in page
    # Shown again, the row still says so.
    again = client_as(Role.BILLING).get(reverse("billing:reads"), params()).content.decode()
    assert "Held" in row(again, meter)


def test_a_refused_register_keeps_what_was_typed_and_says_why(client_as, meter):
    page = post(client_as(Role.BILLING), meter, "12abc")
    refused = row(page, meter)
    assert "Not saved: Not a number." in refused
    assert 'value="12abc"' in refused and "is-invalid" in refused
    assert not MeterRead.objects.filter(installation=meter, read_on=READ_ON).exists()


def _meter_at(address, number, area="Central", walk=None):
    account = AccountFactory()
    place = premise(address)
    Premise.objects.filter(pk=place.pk).update(service_area=area, walk_order=walk)
    sa = agreement(account, premise_obj=place)
    point = ServicePoint.objects.create(premise=place, utility="water")
    sa.service_point = point
    sa.save()
    meter = Meter.objects.create(number=number, utility="water", dials=4)
    return MeterInstallation.objects.create(meter=meter, service_point=point, installed_on=START)


def test_meters_follow_the_walk_then_the_street_with_house_numbers_as_numbers():
    ten_twenty = _meter_at("1020 E Main St", "W1")
    two_oh_eight = _meter_at("208 E Main St", "W2")
    walk_second = _meter_at("900 W Apache Trl", "W3", walk=2)
    walk_first = _meter_at("50 N Zebra Ave", "W4", walk=1)
    other_route = _meter_at("10 E Main St", "W5", area="West")
    assert list(read_entry_meters(1, "")) == [
        walk_first,
        walk_second,
        two_oh_eight,
        ten_twenty,
        other_route,
    ]
    assert list(read_entry_meters(1, "West")) == [other_route]


def test_a_route_of_more_than_100_meters_is_paged(client_as):
    meters = [_meter_at(f"{100 + n} E Main St", f"W{n:03d}") for n in range(102)]
    client = client_as(Role.BILLING)
    first = client.get(reverse("billing:reads"), params()).content.decode()
    assert "Meters 1–100 of 102" in first
    assert f'id="meter-{meters[99].pk}"' in first and f'id="meter-{meters[100].pk}"' not in first
    assert "Next meters (101–102)" in first and "offset=100" in first
    second = client.get(reverse("billing:reads"), params(offset=100)).content.decode()
    assert "Meters 101–102 of 102" in second and "Previous 100 meters" in second
    assert f'id="meter-{meters[101].pk}"' in second and f'id="meter-{meters[0].pk}"' not in second
    # A save on the second page stays on it.
    page = post(client, meters[100], "5", offset=100)
    assert "Meters 101–102 of 102" in page and "Saved" in row(page, meters[100])
    assert MeterRead.objects.get(installation=meters[100]).register == D(5)


def test_the_read_entry_page_opens_on_today_and_the_cycle_read_today(client_as):
    """A reader keying today's route should not have to type today's date or
    look up which cycle is read today (Wednesday 12/02/2026 is December's
    second working day: cycle 2)."""
    import time_machine

    with time_machine.travel("2026-12-02 09:00 -07:00", tick=False):
        page = client_as(Role.BILLING).get(reverse("billing:reads")).content.decode()
    assert 'name="read_on" value="2026-12-02"' in page
    assert 'name="cycle" value="2"' in page


def test_on_a_day_no_cycle_is_read_only_the_date_is_filled(client_as):
    import time_machine

    with time_machine.travel("2026-12-05 09:00 -07:00", tick=False):  # a Saturday
        page = client_as(Role.BILLING).get(reverse("billing:reads")).content.decode()
    assert 'name="read_on" value="2026-12-05"' in page
    assert 'name="cycle" value=' not in page

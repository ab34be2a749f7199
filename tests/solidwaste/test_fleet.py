"""Routes, trucks and crew members: EMS supervisors and administrators add
and change them through solidwaste.services.fleet; the rules that keep
routes, foremen and dispatched orders consistent; who may."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mesa_cs.lib.dates import today
from mesa_cs.lib.roles import Role
from solidwaste.models import CrewMember, Route, Truck
from solidwaste.services import containers as orders
from solidwaste.services import fleet as services
from tests.solidwaste.conftest import make_fleet
from tests.solidwaste.test_containers import barrel_service, rates, routes  # noqa: F401

pytestmark = pytest.mark.django_db

SETUP = {Role.SUPERVISOR, Role.ADMINISTRATOR}
READERS = {Role.EMS, Role.SUPERVISOR, Role.ADMINISTRATOR}
CARD = "4111 1111 1111 1111"


def _route(**overrides):
    values = {
        "code": "res-401", "name": "Dobson Ranch Tue", "service_line": "residential",
        "service_area": "West", "foreman": None, "daily_lift_target": 950, "active": True,
    }  # fmt: skip
    return values | overrides


def test_a_route_is_added_upper_case_and_changed():
    route = services.route_save(**_route())
    assert (route.code, route.daily_lift_target) == ("RES-401", 950)
    changed = services.route_save(route_id=route.pk, **_route(daily_lift_target=1100))
    assert changed.pk == route.pk and changed.daily_lift_target == 1100


def test_route_refusals_name_their_field():
    fleet = make_fleet()
    for overrides, field in (
        ({"code": "RES-101"}, "code"),  # taken
        ({"code": "bad code!"}, "code"),
        ({"name": f"Card {CARD}"}, "name"),
        ({"foreman": fleet["ana"]}, "foreman"),  # an operator
        ({"daily_lift_target": 0}, "daily_lift_target"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.route_save(**_route(**overrides))
        assert field in refused.value.message_dict, overrides
    assert not Route.objects.filter(code="RES-401").exists()


def test_a_route_with_open_orders_to_come_stays_active():
    line = routes()
    sa = barrel_service()
    order = orders.order_book(agreement_id=sa.pk, kind="extra_pickup", scheduled_on=today())
    res = line["residential"]
    fields = _route(code=res.code, service_area="Central", active=False)
    with pytest.raises(ValidationError) as refused:
        services.route_save(route_id=res.pk, **fields)
    assert "1 open order" in refused.value.message_dict["active"][0]
    orders.order_complete(order_id=order.pk, completed_on=today())
    assert services.route_save(route_id=res.pk, **fields).active is False


def test_a_truck_is_added_and_retired():
    truck = services.truck_save(number="t-450", kind=Truck.Kind.FRONT_LOAD, active=True)
    assert truck.number == "T-450"
    retired = services.truck_save(
        truck_id=truck.pk, number="T-450", kind="front_load", active=False
    )
    assert retired.active is False
    with pytest.raises(ValidationError) as taken:
        services.truck_save(number="T-450", kind="side_load", active=True)
    assert "number" in taken.value.message_dict


def test_crew_rules_keep_the_foremen_consistent():
    fleet = make_fleet()
    ana, foreman = fleet["ana"], fleet["foreman"]
    member = {"employee_number": "2003", "name": "Cal Yazzie", "position": "operator"}
    cal = services.crew_member_save(**member, foreman=foreman, active=True)
    assert cal.foreman == foreman
    for foreman_choice in (ana, cal):  # an operator; themselves
        with pytest.raises(ValidationError) as refused:
            services.crew_member_save(
                member_id=cal.pk, **member, foreman=foreman_choice, active=True
            )
        assert "foreman" in refused.value.message_dict
    with pytest.raises(ValidationError) as card:
        services.crew_member_save(**(member | {"employee_number": "2004", "name": CARD}))
    assert "name" in card.value.message_dict
    lead = {"employee_number": foreman.employee_number, "name": foreman.name}
    with pytest.raises(ValidationError) as demoted:
        services.crew_member_save(
            member_id=foreman.pk, **lead, position="operator", foreman=None, active=True
        )
    assert "report to this foreman" in demoted.value.message_dict["position"][0]
    with pytest.raises(ValidationError) as retired:
        services.crew_member_save(
            member_id=foreman.pk, **lead, position="foreman", foreman=None, active=False
        )
    assert "active" in retired.value.message_dict
    foreman.refresh_from_db()
    assert (foreman.position, foreman.active) == ("foreman", True)


@pytest.mark.parametrize("role", list(Role))
def test_exactly_supervisors_and_administrators_add_and_change(client_as, role):
    fleet = make_fleet()
    client = client_as(role)
    allowed = role in SETUP
    for name, pk in (
        ("route_new", None), ("route_edit", fleet["res"].pk),
        ("truck_new", None), ("truck_edit", fleet["t1"].pk),
        ("crew_member_new", None), ("crew_member_edit", fleet["ana"].pk),
    ):  # fmt: skip
        url = reverse(f"solidwaste:{name}", args=[pk] if pk else [])
        assert client.get(url).status_code == (200 if allowed else 403), (name, role)
    new_route = client.post(reverse("solidwaste:route_new"), _route(foreman=""))
    assert (new_route.status_code == 302) == allowed
    assert Route.objects.filter(code="RES-401").exists() == allowed
    edit = client.post(
        reverse("solidwaste:truck_edit", args=[fleet["t1"].pk]),
        {"number": "T-101", "kind": "rear_load", "active": "on"},
    )
    assert (edit.status_code == 302) == allowed
    assert Truck.objects.get(pk=fleet["t1"].pk).kind == ("rear_load" if allowed else "side_load")
    crew = client.post(
        reverse("solidwaste:crew_member_new"),
        {"employee_number": "2010", "name": "Dee Lee", "position": "operator",
         "foreman": fleet["foreman"].pk, "active": "on"},
    )  # fmt: skip
    assert (crew.status_code == 302) == allowed
    assert CrewMember.objects.filter(employee_number="2010").exists() == allowed
    for list_name in ("routes", "trucks", "crew"):
        page = client.get(reverse(f"solidwaste:{list_name}"))
        assert page.status_code == (200 if role in READERS else 403)
        if role in READERS:
            text = page.content.decode()
            assert ("Edit</a>" in text) == allowed, (list_name, role)
            assert ("bi-plus-circle" in text) == allowed, (list_name, role)


def test_the_form_shows_a_refusal_beside_its_field_and_keeps_the_card_number_masked(client_as):
    fleet = make_fleet()
    client = client_as(Role.SUPERVISOR)
    page = client.post(
        reverse("solidwaste:route_edit", args=[fleet["res"].pk]),
        _route(code="RES-101", name=f"Card {CARD}", foreman=fleet["ana"].pk),
    )
    text = page.content.decode()
    assert page.status_code == 200 and CARD not in text
    assert "card number" in text.lower()
    assert "Select a valid choice" in text  # an operator is not on the foreman list


def test_the_lists_export_without_the_edit_link(client_as):
    make_fleet()
    client = client_as(Role.SUPERVISOR)
    csv = client.get(reverse("solidwaste:routes") + "?_export=csv").content.decode()
    assert csv.splitlines()[0].startswith("Code,Name") and "Edit" not in csv
    assert "RES-101" in csv

"""The demo's commercial bins and roll-offs (issue 15 item 9)."""

import pytest

from demo.containers import demo_containers
from mesa_cs.lib.dates import today
from mesa_cs.lib.roles import Role
from solidwaste.models import Container, Order, Route
from tests.solidwaste.test_containers import barrel_service

pytestmark = pytest.mark.django_db


def test_each_commercial_service_gets_the_bins_it_bills_and_some_a_roll_off(role_users):
    sa = barrel_service("SW3.1", service_code="4yd:2", customer_class="commercial")
    sa.containers = 2
    sa.save()
    made = demo_containers(clerk=role_users[Role.EMS], today=today())
    assert made == {"bins": 2, "roll_offs": 1, "tickets": 1}
    bins = Container.objects.filter(kind="front_load", agreement=sa)
    assert [b.service_code for b in bins] == ["4yd:2", "4yd:2"]
    assert {b.delivered_on for b in bins} == {sa.starts_on}
    (ticket,) = Order.objects.filter(agreement=sa)
    assert (ticket.kind, ticket.roll_off_size, ticket.route.service_line) == (
        "roll_off",
        "30yd",
        "roll_off",
    )
    assert ticket.scheduled_on == today() and ticket.amount > 0 and ticket.entry_id
    sa.refresh_from_db()
    assert sa.containers == 2
    assert Route.objects.filter(service_line="roll_off").count() == 4
    assert demo_containers(clerk=role_users[Role.EMS], today=today()) is None

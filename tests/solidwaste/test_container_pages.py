"""Who may open and use the container and order pages, and the pages' own
work: a delivery, a removal, the green barrel's stop, booking an order."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse

from mesa_cs.lib.dates import today
from mesa_cs.lib.roles import Role
from solidwaste.models import Container, Order
from solidwaste.services import containers as services
from tests.solidwaste.test_containers import barrel_service, past_due, rates, routes  # noqa: F401

pytestmark = pytest.mark.django_db

AREA = {Role.EMS, Role.CLERK, Role.SUPERVISOR, Role.ADMINISTRATOR}
CONTAINERS = {Role.EMS, Role.SUPERVISOR, Role.ADMINISTRATOR}


@pytest.mark.parametrize("role", list(Role))
def test_exactly_the_documented_roles_read_deliver_stop_and_book(client_as, role):
    routes()
    sa = barrel_service()
    green = barrel_service(
        "SW1.3", starts_on=today() - timedelta(days=300), premise_obj=sa.premise, account=sa.account
    )
    client = client_as(role)
    for url in (
        reverse("solidwaste:services"),
        reverse("solidwaste:orders"),
        reverse("solidwaste:premise", args=[sa.premise_id]),
    ):
        status = client.get(url).status_code
        assert status == (200 if role in AREA else 403), (url, role)
    deliver = client.post(
        reverse("solidwaste:container_deliver", args=[sa.premise_id]),
        {"agreement": sa.pk, "kind": "blue", "delivered_on": today().isoformat()},
    )
    assert (deliver.status_code == 302) == (role in CONTAINERS), role
    assert Container.objects.exists() == (role in CONTAINERS)
    stop = client.get(reverse("solidwaste:green_stop", args=[green.pk]))
    assert (stop.status_code == 200) == (role in CONTAINERS), role
    book = client.post(
        reverse("solidwaste:order_new", args=[sa.premise_id]),
        {
            "agreement": sa.pk,
            "kind": "extra_pickup",
            "scheduled_on": today().isoformat(),
            "loads": 1,
        },
    )
    assert (book.status_code == 302) == (role in AREA), role
    assert Order.objects.exists() == (role in AREA)


def test_the_premise_page_shows_inventory_history_and_orders(client_as):
    routes()
    sa = barrel_service()
    services.container_deliver(agreement_id=sa.pk, kind="black_90", delivered_on=today())
    second = services.container_deliver(agreement_id=sa.pk, kind="black_90", delivered_on=today())
    client = client_as(Role.EMS)
    response = client.post(
        reverse("solidwaste:container_remove", args=[second.pk]),
        {"removed_on": today().isoformat(), "reason": "Customer asked"},
    )
    assert response.status_code == 302
    services.order_book(agreement_id=sa.pk, kind="bulk_pickup", scheduled_on=today())
    page = client.get(reverse("solidwaste:premise", args=[sa.premise_id])).content.decode()
    assert "Customer asked" in page and "Bulk pickup" in page and "$29.00" in page
    listing = client.get(reverse("solidwaste:orders") + "?_export=csv")
    assert b"Bulk pickup" in b"".join(
        listing.streaming_content if listing.streaming else [listing.content]
    )


def test_the_order_page_warns_of_the_past_due_and_refuses_a_bulk_pickup(client_as):
    routes()
    sa = barrel_service()
    past_due(sa.account, "12.50")
    client = client_as(Role.CLERK)
    url = reverse("solidwaste:order_new", args=[sa.premise_id])
    page = client.get(url).content.decode()
    assert "$12.50 past due" in page and "Bulk pickup eligibility" in page
    refused = client.post(
        url,
        {
            "agreement": sa.pk,
            "kind": "bulk_pickup",
            "scheduled_on": today().isoformat(),
            "loads": 1,
        },
    )
    assert "past-due balance is paid" in refused.content.decode()
    assert not Order.objects.exists()
    # Said once: the form's error, not the warning above it as well.
    assert refused.content.decode().count("$12.50 past due") == 1
    # Another kind refused for its own reason still has the warning.
    other = client.post(
        url,
        {"agreement": sa.pk, "kind": "landfill", "scheduled_on": today().isoformat()},
    )
    assert other.content.decode().count("$12.50 past due") == 1


def test_a_card_number_in_the_notes_is_refused(client_as):
    routes()
    sa = barrel_service()
    response = client_as(Role.EMS).post(
        reverse("solidwaste:order_new", args=[sa.premise_id]),
        {
            "agreement": sa.pk, "kind": "extra_pickup", "scheduled_on": today().isoformat(),
            "loads": 1, "notes": "card 4111 1111 1111 1111",
        },
    )  # fmt: skip
    assert not Order.objects.exists()
    assert "4111 1111 1111 1111" not in response.content.decode()


def test_the_green_stop_page_quotes_the_minimum_and_stops(client_as):
    sa = barrel_service("SW1.3", starts_on=today() - timedelta(days=20))
    client = client_as(Role.EMS)
    url = reverse("solidwaste:green_stop", args=[sa.pk])
    page = client.get(url).content.decode()
    amount, _ = services.green_stop_quote(sa, today())
    assert amount > D("0") and f"${amount}" in page and "Green barrel minimum" in page
    response = client.post(url, {"stops_on": today().isoformat()})
    assert response.status_code == 302
    sa.refresh_from_db()
    assert sa.status == "final"

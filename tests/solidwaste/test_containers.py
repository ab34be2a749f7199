"""Container services and one-time orders (issue 15 items 1 and 2): service
codes price through the engine per the rate book, the container inventory
sets what bills, the green barrel's minimum on an early stop, bulk pickup
refused with a past due, the landfill program once a month, and each order
charged on the next bill and dispatched to a route."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from accounts.models import GLAccount, JournalEntry, Premise
from accounts.services.ledger import Charge, charges_post, payment_post
from billing.rules.engine import BillInput, calculate
from billing.rules.ratebook import shipped_ratebook
from billing.services.bills import bill_issue
from billing.services.rates import ratebook_from_db, ratebook_load
from mesa_cs.lib.dates import today
from mesa_cs.lib.roles import Role
from solidwaste.models import Container, Order, Route
from solidwaste.rules import containers as rules
from solidwaste.services import containers as services
from tests.factories import AccountFactory, agreement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rates(db):
    ratebook_load(shipped_ratebook())


def routes():
    return {
        line: Route.objects.create(
            code=code, name=f"{line} Central", service_line=line, service_area="Central"
        )
        for code, line in (
            ("RES-301", "residential"),
            ("COM-301", "commercial"),
            ("RO-301", "roll_off"),
        )
    }


def barrel_service(schedule="SW1.1", starts_on=date(2025, 1, 1), **fields):
    account = fields.pop("account", None) or AccountFactory(
        customer_class=fields.pop("customer_class", "residential")
    )
    sa = agreement(account, "solid_waste", schedule, starts_on=starts_on, containers=1, **fields)
    Premise.objects.filter(pk=sa.premise_id).update(service_area="Central")
    sa.premise.refresh_from_db()
    return sa


def past_due(account, amount="40.00"):
    """A charge that fell due a month ago and is still owed."""
    charges_post(
        account=account,
        kind=JournalEntry.Kind.FEE,
        effective_on=today() - timedelta(days=40),
        due_on=today() - timedelta(days=30),
        description="Old charge",
        charges=[Charge(D(amount), revenue_purpose=GLAccount.Purpose.FEES)],
    )


# --- service codes through the engine --------------------------------------------


@pytest.mark.parametrize(
    "code,containers,expected",
    [("2yd:1", 1, "69.02"), ("4yd:2", 2, "443.60"), ("8yd:3", 1, "522.46")],
)
def test_a_front_load_service_code_prices_through_the_engine_per_the_rate_book(
    code, containers, expected
):
    book = ratebook_from_db()
    calc = calculate(
        book,
        BillInput(
            schedule="SW3.1",
            start=date(2026, 10, 31),
            end=date(2026, 11, 30),
            quantity=containers,
            service=code,
        ),
    )
    assert calc.total == D(expected)


def test_a_front_load_extra_pickup_is_one_weekly_pickup_of_its_size():
    # 4yd:1 is 127.57 a month; a pickup is that over 52/12 weeks.
    price = rules.bin_pickup_price(ratebook_from_db(), "4yd:2", date(2026, 12, 10))
    assert price == (D("127.57") * 12 / 52).quantize(D("0.01"))
    assert price == D("29.44")


# --- the inventory ----------------------------------------------------------------


def test_a_second_barrel_delivered_bills_two_and_its_removal_one(role_users):
    ems = role_users[Role.EMS]
    sa = barrel_service()
    services.container_deliver(
        agreement_id=sa.pk, kind="black_90", delivered_on=date(2025, 1, 2), by=ems
    )
    services.container_deliver(agreement_id=sa.pk, kind="blue", delivered_on=date(2025, 1, 2))
    second = services.container_deliver(
        agreement_id=sa.pk, kind="black_90", delivered_on=today(), tag="MX-1201", by=ems
    )
    sa.refresh_from_db()
    assert sa.containers == 2  # the blue barrel is included, not billed
    services.container_remove(container_id=second.pk, removed_on=today(), reason="Asked", by=ems)
    sa.refresh_from_db()
    assert sa.containers == 1
    assert Container.objects.get(pk=second.pk).removed_by == ems


def test_the_wrong_container_or_a_future_delivery_is_refused():
    sa = barrel_service("SW1.2")
    with pytest.raises(ValidationError, match="does not go on SW1.2"):
        services.container_deliver(agreement_id=sa.pk, kind="black_90", delivered_on=today())
    with pytest.raises(ValidationError, match="has not happened yet"):
        services.container_deliver(
            agreement_id=sa.pk, kind="black_60", delivered_on=today() + timedelta(days=1)
        )


def test_the_last_billed_container_leaves_with_the_stop_not_a_removal():
    sa = barrel_service()
    only = services.container_deliver(agreement_id=sa.pk, kind="black_90", delivered_on=today())
    with pytest.raises(ValidationError, match="last billed container"):
        services.container_remove(container_id=only.pk, removed_on=today(), reason="Moving")


def test_a_front_load_bin_carries_its_service_code():
    sa = barrel_service("SW3.1", service_code="4yd:2", customer_class="commercial")
    services.container_deliver(agreement_id=sa.pk, kind="front_load", delivered_on=today())
    services.container_deliver(agreement_id=sa.pk, kind="front_load", delivered_on=today())
    sa.refresh_from_db()
    assert sa.containers == 2
    assert set(sa.sw_containers.values_list("service_code", flat=True)) == {"4yd:2"}


# --- the green barrel minimum -------------------------------------------------------


def test_an_early_green_barrel_stop_charges_the_rest_of_the_minimum():
    starts = today() - timedelta(days=32)
    sa = barrel_service("SW1.3", starts_on=starts)
    services.container_deliver(agreement_id=sa.pk, kind="green", delivered_on=starts)
    last = rules.green_minimum_ends(starts)
    days = (last - today()).days
    expected = calculate(
        ratebook_from_db(), BillInput(schedule="SW1.3", start=today(), end=last)
    ).total
    # By hand: 6.01 a month prorated over the days left of the six months.
    assert expected == (D("6.01") * days / 30).quantize(D("0.01"))
    entry = services.green_barrel_stop(agreement_id=sa.pk, stops_on=today())
    sa.refresh_from_db()
    assert (sa.status, sa.ends_on) == ("final", today())
    assert entry.kind == "fee" and "6-month minimum" in entry.description
    assert entry.legs.get(account_id=sa.account_id).amount == expected
    assert not sa.sw_containers.filter(removed_on__isnull=True).exists()


def test_a_green_barrel_stop_after_six_months_charges_nothing():
    sa = barrel_service("SW1.3", starts_on=today() - timedelta(days=200))
    assert services.green_barrel_stop(agreement_id=sa.pk, stops_on=today()) is None
    sa.refresh_from_db()
    assert sa.status == "final"


def test_only_a_green_barrel_stops_here():
    sa = barrel_service("SW1.1")
    with pytest.raises(ValidationError, match="not a green barrel"):
        services.green_barrel_stop(agreement_id=sa.pk, stops_on=today())


# --- one-time orders ----------------------------------------------------------------


def test_bulk_pickup_is_refused_with_a_past_due_and_booked_once_paid():
    lines = routes()
    sa = barrel_service()
    past_due(sa.account)
    with pytest.raises(ValidationError, match=r"\$40.00 past due"):
        services.order_book(agreement_id=sa.pk, kind="bulk_pickup", scheduled_on=today())
    assert not Order.objects.exists()
    payment_post(account=sa.account, amount=D("40.00"), effective_on=today())
    order = services.order_book(
        agreement_id=sa.pk, kind="bulk_pickup", scheduled_on=today(), loads=2
    )
    assert order.amount == D("58.00")
    assert order.route == lines["residential"]
    assert order.entry.kind == "fee"
    assert order.entry.legs.get(account_id=sa.account_id).amount == D("58.00")


def test_the_landfill_program_is_once_a_month_and_up_to_2000_lb():
    routes()
    sa = barrel_service()
    with pytest.raises(ValidationError) as heavy:
        services.order_book(agreement_id=sa.pk, kind="landfill", scheduled_on=today(), pounds=2001)
    assert "2,000 lb" in heavy.value.message_dict["pounds"][0]
    order = services.order_book(
        agreement_id=sa.pk, kind="landfill", scheduled_on=today(), pounds=1800
    )
    assert order.amount == D("15.00")
    with pytest.raises(ValidationError) as again:
        services.order_book(agreement_id=sa.pk, kind="landfill", scheduled_on=today(), pounds=500)
    assert "once a month" in again.value.message_dict["scheduled_on"][0]


def test_a_roll_off_ticket_prices_delivery_pull_tons_and_days_on_the_roll_off_route():
    lines = routes()
    sa = barrel_service("SW3.1", service_code="4yd:1", customer_class="commercial")
    order = services.order_book(
        agreement_id=sa.pk,
        kind="roll_off",
        scheduled_on=today() + timedelta(days=3),
        roll_off_size="30yd",
        delivery=True,
        pull=True,
        tons=D("3.50"),
        rental_days=10,
    )
    # 95.00 + 165.00 + 3.5 × 38.00 + 10 × 5.00
    assert order.amount == D("443.00")
    assert order.route == lines["roll_off"]
    assert len(order.lines) == 4
    with pytest.raises(ValidationError, match="charged with the pull"):
        services.order_book(
            agreement_id=sa.pk, kind="roll_off", scheduled_on=today(), roll_off_size="20yd",
            tons=D("1"),
        )  # fmt: skip


def test_a_commercial_extra_pickup_goes_to_the_commercial_route():
    lines = routes()
    sa = barrel_service("SW3.1", service_code="4yd:2", customer_class="commercial")
    order = services.order_book(
        agreement_id=sa.pk, kind="extra_pickup", scheduled_on=today(), loads=2
    )
    assert order.amount == D("58.88")
    assert order.route == lines["commercial"]


def test_an_order_with_no_route_serving_the_premise_is_refused():
    sa = barrel_service()
    with pytest.raises(ValidationError, match="No active residential refuse route"):
        services.order_book(agreement_id=sa.pk, kind="extra_pickup", scheduled_on=today())


def test_an_order_in_the_past_is_refused():
    routes()
    sa = barrel_service()
    with pytest.raises(ValidationError) as refused:
        services.order_book(
            agreement_id=sa.pk, kind="extra_pickup", scheduled_on=today() - timedelta(days=1)
        )
    assert "today or later" in refused.value.message_dict["scheduled_on"][0]


def test_the_order_is_on_the_next_bill_under_other_charges():
    routes()
    sa = barrel_service()
    book = ratebook_from_db()
    before = bill_issue(
        account=sa.account,
        period_end=today() - timedelta(days=3),
        bill_on=today() - timedelta(days=1),
        book=book,
    )
    services.order_book(agreement_id=sa.pk, kind="bulk_pickup", scheduled_on=today())
    after = bill_issue(
        account=sa.account,
        period_end=today() + timedelta(days=27),
        bill_on=today() + timedelta(days=29),
        book=book,
    )
    assert before.other_charges == D("0.00")
    assert after.other_charges == D("29.00")
    assert after.amount_due == before.amount_due + D("29.00") + after.current_charges

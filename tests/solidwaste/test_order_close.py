"""An order's end: EMS marks it done by the route, or cancels it with a
reason (its charge reversed, so no bill charges it); a completed order, or
one a bill has charged, is not cancelled. Who may do either."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import JournalEntry
from accounts.selectors import account_balance
from billing.services.bills import bill_issue
from billing.services.rates import ratebook_from_db
from mesa_cs.lib.dates import today
from mesa_cs.lib.roles import Role
from solidwaste.models import Order
from solidwaste.services import containers as services
from tests.solidwaste.test_containers import barrel_service, rates, routes  # noqa: F401

pytestmark = pytest.mark.django_db

CLOSERS = {Role.EMS, Role.SUPERVISOR, Role.ADMINISTRATOR}
CARD = "4111 1111 1111 1111"


def _bill(sa, days):
    return bill_issue(
        account=sa.account,
        period_end=today() + timedelta(days=days - 2),
        bill_on=today() + timedelta(days=days),
        book=ratebook_from_db(),
    )


def _booked(kind="bulk_pickup", **fields):
    routes()
    sa = barrel_service()
    _bill(sa, -1)  # the last bill, before the order
    order = services.order_book(agreement_id=sa.pk, kind=kind, scheduled_on=today(), **fields)
    return sa, order


def test_a_cancelled_order_is_reversed_and_not_on_the_next_bill(role_users):
    sa, order = _booked()
    balance = account_balance(sa.account)
    cancelled = services.order_cancel(
        order_id=order.pk, reason="Customer hauled it away", by=role_users[Role.EMS]
    )
    assert cancelled.status == Order.Status.CANCELLED
    assert cancelled.reversal.kind == JournalEntry.Kind.REVERSAL
    assert cancelled.reversal.reverses_id == order.entry_id
    assert (cancelled.closed_by, cancelled.cancel_reason) == (
        role_users[Role.EMS],
        "Customer hauled it away",
    )
    assert account_balance(sa.account) == balance - D("29.00")
    assert _bill(sa, 29).other_charges == D("0.00")


def test_an_order_the_next_bill_charged_is_not_cancelled():
    sa, order = _booked()
    billed = _bill(sa, 29)
    assert billed.other_charges == D("29.00")
    with pytest.raises(ValidationError) as refused:
        services.order_cancel(order_id=order.pk, reason="Changed mind")
    assert f"{billed.bill_on:%m/%d/%Y} charged this order" in refused.value.messages[0]
    order.refresh_from_db()
    assert order.status == Order.Status.OPEN and order.reversal is None


def test_a_completed_order_stays_billed_and_is_not_cancelled(role_users):
    sa, order = _booked()
    done = services.order_complete(order_id=order.pk, completed_on=today(), by=role_users[Role.EMS])
    assert (done.status, done.completed_on) == (Order.Status.COMPLETED, today())
    with pytest.raises(ValidationError, match="already completed"):
        services.order_cancel(order_id=order.pk, reason="Too late")
    with pytest.raises(ValidationError, match="already completed"):
        services.order_complete(order_id=order.pk, completed_on=today())
    assert _bill(sa, 29).other_charges == D("29.00")


def test_a_cancelled_order_is_not_completed_nor_cancelled_again():
    _, order = _booked()
    services.order_cancel(order_id=order.pk, reason="Booked twice")
    for attempt in (
        lambda: services.order_complete(order_id=order.pk, completed_on=today()),
        lambda: services.order_cancel(order_id=order.pk, reason="Again"),
    ):
        with pytest.raises(ValidationError, match="already cancelled"):
            attempt()
    assert JournalEntry.objects.filter(reverses_id=order.entry_id).count() == 1


def test_the_reason_is_required_and_refuses_a_card_number():
    _, order = _booked()
    with pytest.raises(ValidationError) as missing:
        services.order_cancel(order_id=order.pk, reason="  ")
    assert "reason" in missing.value.message_dict
    with pytest.raises(ValidationError) as card:
        services.order_cancel(order_id=order.pk, reason=f"Refund to {CARD}")
    assert "reason" in card.value.message_dict
    order.refresh_from_db()
    assert order.status == Order.Status.OPEN


def test_done_is_not_a_day_to_come_nor_before_the_booking():
    _, order = _booked()
    with pytest.raises(ValidationError) as future:
        services.order_complete(order_id=order.pk, completed_on=today() + timedelta(days=1))
    assert "completed_on" in future.value.message_dict
    with pytest.raises(ValidationError) as early:
        services.order_complete(order_id=order.pk, completed_on=today() - timedelta(days=1))
    assert "booked on" in early.value.message_dict["completed_on"][0]


def test_a_cancelled_landfill_load_leaves_the_month_free():
    sa, order = _booked("landfill", pounds=1500)
    services.order_cancel(order_id=order.pk, reason="Wrong date")
    again = services.order_book(
        agreement_id=sa.pk, kind="landfill", scheduled_on=today(), pounds=900
    )
    assert again.status == Order.Status.OPEN


@pytest.mark.parametrize("role", list(Role))
def test_exactly_ems_and_the_leads_mark_done_and_cancel(client_as, role):
    _, first = _booked()
    second = Order.objects.get(pk=first.pk)
    second.pk = None
    second.entry = None
    second.save()
    client = client_as(role)
    done = client.post(
        reverse("solidwaste:order_complete", args=[first.pk]),
        {"completed_on": today().isoformat()},
    )
    cancel = client.post(
        reverse("solidwaste:order_cancel", args=[second.pk]), {"reason": "Customer cancelled"}
    )
    allowed = role in CLOSERS
    assert (done.status_code, cancel.status_code) == ((302, 302) if allowed else (403, 403))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status == "completed") == allowed
    assert (second.status == "cancelled") == allowed
    assert client.get(reverse("solidwaste:order_cancel", args=[second.pk])).status_code == (
        405 if allowed else 403
    )


def test_the_premise_page_offers_done_and_cancel_and_shows_the_outcome(client_as):
    sa, order = _booked()
    ems = client_as(Role.EMS)
    page = ems.get(reverse("solidwaste:premise", args=[sa.premise_id])).content.decode()
    assert "Mark done" in page and "Cancel order" in page
    refused = ems.post(
        reverse("solidwaste:order_cancel", args=[order.pk]), {"reason": f"card {CARD}"}, follow=True
    )
    assert "card number" in refused.content.decode().lower()
    cancelled = ems.post(
        reverse("solidwaste:order_cancel", args=[order.pk]), {"reason": "Booked twice"}, follow=True
    )
    text = cancelled.content.decode()
    assert "charge is reversed and will not be billed" in text
    assert "Cancelled: Booked twice" in text and "Cancel order" not in text

    services.order_book(agreement_id=sa.pk, kind="extra_pickup", scheduled_on=today())
    reader = client_as(Role.CLERK).get(reverse("solidwaste:premise", args=[sa.premise_id]))
    assert "Mark done" not in reader.content.decode()  # a Contact Center clerk books only

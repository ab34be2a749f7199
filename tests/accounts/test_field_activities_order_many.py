"""Field orders in bulk (the collection run's disconnects and door hangers):
each order is checked as ``field_activity_order`` checks one, and an order
whose work is pending already is not placed twice, in a batch or from two
batches at once."""

import threading
from dataclasses import asdict, replace
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import FieldActivity
from accounts.services.field import (
    FieldActivitySpec,
    field_activities_order_many,
    field_activity_cancel,
    field_activity_order,
)
from tests.accounts.test_service_lifecycle import metered_home
from tests.factories import AccountFactory, UserFactory, agreement

pytestmark = pytest.mark.django_db
ON = date(2026, 6, 1)
Kind = FieldActivity.Kind


@pytest.fixture
def water():
    home = metered_home("2255 E Brown Rd", "W55500401")
    return agreement(
        AccountFactory(), premise_obj=home, service_point=home.service_points.get(), status="active"
    )


def disconnect(sa, key="disconnect:1", **extra):
    return FieldActivitySpec(
        kind=Kind.DISCONNECT,
        account=sa.account,
        premise=sa.premise,
        service_point=sa.service_point,
        agreement=sa,
        scheduled_on=ON,
        source_key=key,
        **extra,
    )


def hanger(sa, key="door-hanger:1", **extra):
    return FieldActivitySpec(
        kind=Kind.DOOR_HANGER,
        account=sa.account,
        premise=sa.premise,
        scheduled_on=ON,
        notes="Disconnect notice door hanger",
        source_key=key,
        **extra,
    )


def test_a_batch_is_placed_as_single_orders_would_be(water):
    by = UserFactory()
    placed = field_activities_order_many(orders=[disconnect(water), hanger(water)], ordered_by=by)
    assert [a.kind for a in placed] == [Kind.DISCONNECT, Kind.DOOR_HANGER]
    assert all(a.pk and a.status == "pending" and a.ordered_by == by for a in placed)
    assert {a.area for a in placed} == {water.premise.service_area}
    assert FieldActivity.objects.count() == 2


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        # Meter work needs the meter's place, as a single order does.
        (lambda sa: replace(disconnect(sa), service_point=None), "service_point"),
        (lambda sa: replace(hanger(sa), notes="card 4111 1111 1111 1111"), "notes"),
        (lambda sa: replace(hanger(sa), kind="teleport"), "kind"),
    ],
)
def test_a_batch_with_an_order_the_single_service_refuses_places_nothing(water, spec, field):
    with pytest.raises(ValidationError) as refused:
        field_activities_order_many(orders=[hanger(water, key="ok"), spec(water)])
    assert field in refused.value.message_dict
    with pytest.raises(ValidationError) as single:
        field_activity_order(**asdict(spec(water)))
    assert field in single.value.message_dict
    assert not FieldActivity.objects.exists()


def test_work_pending_already_or_twice_in_the_batch_is_ordered_once(water):
    earlier = field_activity_order(
        kind=Kind.DISCONNECT,
        account=water.account,
        premise=water.premise,
        service_point=water.service_point,
        agreement=water,
        scheduled_on=ON,
        source_key="disconnect:1",
    )
    placed = field_activities_order_many(
        orders=[disconnect(water), hanger(water), hanger(water), hanger(water, key="")]
    )
    assert placed[0] == earlier
    assert placed[1] == placed[2] and placed[1].pk
    assert placed[3].pk and placed[3] != placed[1]
    assert FieldActivity.objects.count() == 3
    # Run again: nothing new but the order without a key.
    again = field_activities_order_many(orders=[disconnect(water), hanger(water)])
    assert again == placed[:2]
    assert FieldActivity.objects.count() == 3


def test_an_order_no_longer_pending_does_not_stop_a_new_one(water):
    (first,) = field_activities_order_many(orders=[hanger(water)])
    field_activity_cancel(activity_id=first.pk, reason="paid", by=None)
    (second,) = field_activities_order_many(orders=[hanger(water)])
    assert second.pk != first.pk and second.status == "pending"


@pytest.mark.django_db(transaction=True)
def test_two_batches_at_once_place_each_order_once(water):
    barrier, results, errors = threading.Barrier(2), [None, None], [None, None]

    def run(i):
        try:
            barrier.wait()
            results[i] = [
                a.pk for a in field_activities_order_many(orders=[disconnect(water), hanger(water)])
            ]
        except Exception as exc:  # asserted on below
            errors[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [None, None]
    assert results[0] == results[1]
    assert FieldActivity.objects.count() == 2

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from accounts.models import FieldActivity, Meter, MeterInstallation, MeterRead, ServicePoint
from accounts.services.field import (
    field_activity_cancel,
    field_activity_complete,
    field_activity_order,
)
from tests.factories import AccountFactory, UserFactory, agreement

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 20)


@pytest.fixture
def water():
    account = AccountFactory()
    sa = agreement(account, status="pending")
    point = ServicePoint.objects.create(premise=sa.premise, utility="water")
    sa.service_point = point
    sa.save()
    meter = Meter.objects.create(
        number="W77700001", utility="water", size="3/4", dials=5, status="installed"
    )
    MeterInstallation.objects.create(
        meter=meter, service_point=point, installed_on=date(2020, 1, 1), install_read=D("1000")
    )
    return account, sa, point


def order(water, kind, **extra):
    account, sa, point = water
    return field_activity_order(
        kind=kind,
        account=account,
        premise=sa.premise,
        service_point=point,
        agreement=sa,
        scheduled_on=DAY,
        ordered_by=UserFactory(),
        **extra,
    )


def test_a_connect_records_the_read_and_activates_the_service(water):
    activity = order(water, FieldActivity.Kind.CONNECT)
    assert activity.area == water[1].premise.service_area
    done = field_activity_complete(
        activity_id=activity.pk, completed_by=UserFactory(), completed_on=DAY, register=D("1012")
    )
    water[1].refresh_from_db()
    assert water[1].status == "active"
    assert done.read.register == D("1012") and done.read.source == "field"


def test_a_read_lower_than_the_last_without_a_rollover_is_refused(water):
    activity = order(water, FieldActivity.Kind.READ)
    with pytest.raises(ValidationError, match="not a rollover"):
        field_activity_complete(
            activity_id=activity.pk, completed_by=UserFactory(), completed_on=DAY, register=D("900")
        )
    assert FieldActivity.objects.get(pk=activity.pk).status == "pending"


def test_a_final_read_stops_the_service(water):
    activity = order(water, FieldActivity.Kind.FINAL_READ)
    field_activity_complete(
        activity_id=activity.pk, completed_by=UserFactory(), completed_on=DAY, register=D("1100")
    )
    sa = water[1]
    sa.refresh_from_db()
    assert (sa.status, sa.ends_on) == ("final", DAY)
    assert MeterRead.objects.get(register=D("1100")).kind == "final"


def test_a_meter_exchange_records_both_registers(water):
    _, _, point = water
    activity = order(water, FieldActivity.Kind.METER_EXCHANGE)
    new = Meter.objects.create(number="W77700002", utility="water", size="3/4", dials=5)
    done = field_activity_complete(
        activity_id=activity.pk,
        completed_by=UserFactory(),
        completed_on=DAY,
        register=D("1234"),
        new_meter=new,
        new_register=D("0"),
    )
    old = MeterInstallation.objects.get(meter__number="W77700001")
    assert (old.removed_on, old.remove_read) == (DAY, D("1234"))
    assert done.removal_read.kind == "remove" and done.read.kind == "install"
    assert MeterInstallation.objects.get(service_point=point, removed_on__isnull=True).meter == new


def test_orders_are_not_duplicated_and_can_be_cancelled(water):
    first = order(water, FieldActivity.Kind.DOOR_HANGER, source_key="notice:1")
    again = order(water, FieldActivity.Kind.DOOR_HANGER, source_key="notice:1")
    assert again.pk == first.pk
    with pytest.raises(ValidationError):
        field_activity_cancel(activity_id=first.pk, reason=" ", by=UserFactory())
    field_activity_cancel(activity_id=first.pk, reason="paid in full", by=UserFactory())
    assert FieldActivity.objects.get(pk=first.pk).status == "cancelled"


def test_a_meter_test_needs_its_result(water):
    activity = order(water, FieldActivity.Kind.METER_TEST)
    with pytest.raises(ValidationError, match="error in %"):
        field_activity_complete(
            activity_id=activity.pk, completed_by=UserFactory(), completed_on=DAY
        )
    done = field_activity_complete(
        activity_id=activity.pk,
        completed_by=UserFactory(),
        completed_on=DAY,
        meter_error_percent=D("3.00"),
    )
    assert done.outcome == "3.00% fast" and done.meter_error_percent == D("3.00")


def test_the_dispatch_list_and_completion_page(client_as, water):
    from django.urls import reverse

    from mesa_cs.lib.roles import Role

    activity = order(water, FieldActivity.Kind.CONNECT, notes="Gate code 4417")
    client = client_as(Role.CLERK)
    html = client.get(reverse("accounts:dispatch"), {"day": DAY.isoformat()}).content.decode()
    assert (
        "Gate code 4417" in html and reverse("accounts:field_complete", args=[activity.pk]) in html
    )
    bad = client.post(
        reverse("accounts:field_complete", args=[activity.pk]),
        {"completed_on": DAY.isoformat(), "register": "999"},
    )
    assert bad.status_code == 400 and "not a rollover" in bad.content.decode()
    client.post(
        reverse("accounts:field_complete", args=[activity.pk]),
        {"completed_on": DAY.isoformat(), "register": "1005"},
    )
    assert FieldActivity.objects.get(pk=activity.pk).status == "completed"


@pytest.mark.parametrize(
    ("kind", "asked", "not_asked"),
    [
        (
            FieldActivity.Kind.DISCONNECT,
            {"completed_on", "register", "notes"},
            {"new_meter", "new_register", "meter_error_percent", "outcome"},
        ),
        (
            FieldActivity.Kind.METER_EXCHANGE,
            {"completed_on", "register", "new_meter", "new_register", "notes"},
            {"meter_error_percent", "outcome"},
        ),
        (
            FieldActivity.Kind.METER_TEST,
            {"completed_on", "meter_error_percent", "outcome", "notes"},
            {"register", "new_meter", "new_register"},
        ),
        (
            FieldActivity.Kind.DOOR_HANGER,
            {"completed_on", "notes"},
            {"register", "new_meter", "new_register", "meter_error_percent", "outcome"},
        ),
    ],
)
def test_the_completion_page_asks_only_what_the_work_needs(
    client_as, water, kind, asked, not_asked
):
    """A crew clerk completing a disconnect is not asked for a new meter or a
    meter test's error: each kind of work shows only its own fields."""
    from django.urls import reverse

    from mesa_cs.lib.roles import Role

    activity = order(water, kind)
    html = client_as(Role.CLERK).get(reverse("accounts:field_complete", args=[activity.pk]))
    html = html.content.decode()
    assert {name for name in asked if f'name="{name}"' in html} == asked
    assert {name for name in not_asked if f'name="{name}"' in html} == set()

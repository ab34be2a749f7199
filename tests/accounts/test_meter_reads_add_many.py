"""Meter reads in bulk (a bill run's estimated reads): each read is checked
as ``meter_read_add`` checks one, and a batch run again records nothing
twice."""

from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from accounts.models import MeterInstallation, MeterRead
from accounts.services import meter_read_add, meter_read_set_status
from accounts.services.meters import MeterReadSpec, meter_reads_add_many
from tests.accounts.test_service_lifecycle import metered_home

pytestmark = pytest.mark.django_db
ON = date(2026, 6, 30)
ESTIMATED = MeterRead.Kind.ESTIMATED


@pytest.fixture
def installations():
    return [
        MeterInstallation.objects.get(service_point__premise=metered_home(address, meter))
        for address, meter in (("2255 E Brown Rd", "W55500501"), ("2301 E Brown Rd", "W55500502"))
    ]


def estimate(installation, register="1050.00", **extra):
    return MeterReadSpec(
        installation=installation,
        read_on=ON,
        register=D(register),
        kind=ESTIMATED,
        source="bill run",
        **extra,
    )


def test_a_batch_is_recorded_in_order_as_single_reads_would_be(installations):
    first, second = installations
    reads = meter_reads_add_many([estimate(first), estimate(second, "20.50")])
    assert [(r.installation, r.register, r.kind, r.status) for r in reads] == [
        (first, D("1050.00"), ESTIMATED, MeterRead.Status.ACCEPTED),
        (second, D("20.50"), ESTIMATED, MeterRead.Status.ACCEPTED),
    ]
    assert all(r.pk for r in reads)
    assert MeterRead.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"register": D("-1.00")}, "register"),
        ({"register": D("10.005")}, "register"),  # the column keeps cents
        ({"kind": "guessed"}, "kind"),
        ({"status": "maybe"}, "status"),
    ],
)
def test_a_batch_with_a_read_the_single_service_refuses_records_nothing(
    installations, change, field
):
    bad = replace(estimate(installations[1]), **change)
    with pytest.raises(ValidationError) as refused:
        meter_reads_add_many([estimate(installations[0]), bad])
    assert field in refused.value.message_dict
    with pytest.raises(ValidationError) as single:
        meter_read_add(**asdict(bad))
    assert field in single.value.message_dict
    assert not MeterRead.objects.exists()


def test_a_read_recorded_already_or_twice_in_the_batch_is_recorded_once(installations):
    first, second = installations
    earlier = meter_read_add(**asdict(estimate(first)))
    reads = meter_reads_add_many(
        [estimate(first), estimate(second), estimate(second), estimate(second, "21.00")]
    )
    assert reads[0] == earlier
    assert reads[1] == reads[2] and reads[1].pk and reads[3] != reads[1]
    assert MeterRead.objects.count() == 3
    # The run retried: nothing new.
    assert meter_reads_add_many([estimate(first), estimate(second)]) == reads[:2]
    assert MeterRead.objects.count() == 3


def test_the_same_register_of_another_kind_or_over_a_replaced_read_is_recorded(installations):
    first, _ = installations
    actual = meter_read_add(**asdict(replace(estimate(first), kind=MeterRead.Kind.ACTUAL)))
    replaced = meter_read_add(**asdict(estimate(first)))
    meter_read_set_status(read_id=replaced.pk, status=MeterRead.Status.REPLACED)
    (read,) = meter_reads_add_many([estimate(first)])
    assert read.pk not in (actual.pk, replaced.pk)
    assert MeterRead.objects.count() == 3

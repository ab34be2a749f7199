from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import MeterRead
from billing.services.reads import (
    read_accept,
    read_check,
    read_order_reread,
    read_record,
    read_replace,
    reads_import,
)
from mesa_cs.lib.roles import Role
from staffing.models import WorkItem
from tests.billing.conftest import START
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_normal_reads_pass_and_odd_ones_are_held(meter):
    after = START + timedelta(days=210)
    assert read_check(meter, after, D("9070")) is None
    assert "high read" in read_check(meter, after, D("9200"))
    assert "low read" in read_check(meter, after, D("9061"))
    assert read_check(meter, after, D("9060")) == "zero usage on an active service"
    assert "not a rollover" in read_check(meter, after, D("5000"))


def test_a_rollover_is_usage_not_an_error(meter):
    # Each month 10 more, up to 9990; the next read (5) has gone round the dials.
    MeterRead.objects.filter(installation=meter).delete()
    for month in range(1, 7):
        MeterRead.objects.create(
            installation=meter,
            read_on=START + timedelta(days=30 * month),
            register=D(9930 + 10 * month),
        )
    assert read_check(meter, START + timedelta(days=210), D("5")) is None


def test_a_held_read_is_a_work_item_resolved_by_accept_replace_or_reread(meter):
    user = UserFactory()
    held = read_record(
        installation=meter,
        read_on=START + timedelta(days=210),
        register=D("9300"),
        source="handheld",
    )
    assert held.status == MeterRead.Status.EXCEPTION
    item = WorkItem.objects.get(kind="read_exception", source_key=f"read:{held.pk}")
    replacement = read_replace(read_id=held.pk, register=D("9070"), by=user)
    held.refresh_from_db()
    item.refresh_from_db()
    assert held.status == MeterRead.Status.REPLACED and replacement.register == D("9070")
    assert item.is_closed and "Replaced" in item.outcome

    second = read_record(
        installation=meter, read_on=START + timedelta(days=240), register=D("9400"), source="ami"
    )
    hold = read_order_reread(read_id=second.pk, by=user)
    second.refresh_from_db()
    assert second.status == MeterRead.Status.EXCEPTION
    assert hold.reread.kind == "reread" and hold.state == "Re-read ordered"
    read_accept(read_id=second.pk, by=user)
    second.refresh_from_db()
    assert second.status == MeterRead.Status.ACCEPTED


def test_importing_the_same_file_twice_records_each_read_once(meter):
    day = (START + timedelta(days=210)).isoformat()
    text = f"meter_number,read_on,register,source\nW55500001,{day},9070,handheld\n"
    first = reads_import(text)
    assert (first.read, first.accepted, first.held, first.duplicates) == (1, 1, 0, 0)
    again = reads_import(text)
    assert (again.accepted, again.duplicates, again.errors) == (0, 1, [])
    assert MeterRead.objects.filter(installation=meter, register=D("9070")).count() == 1


def test_a_file_with_bad_lines_names_each_and_records_nothing(meter):
    # Issue 11 item 8: an import is all or nothing (it used to save the good lines).
    day = (START + timedelta(days=210)).isoformat()
    text = (
        "meter_number,read_on,register,source\n"
        f"W55500001,{day},9070,handheld\n"
        f"W99999999,{day},10,handheld\n"
        f"W55500001,not-a-date,1,ami\n"
        f"W55500001,{day},abc,ami\n"
        f"W55500001,{day},9071,pager\n"
    )
    first = reads_import(text)
    assert (first.read, first.accepted, first.held, first.duplicates) == (5, 0, 0, 0)
    assert [e["line"] for e in first.errors] == [3, 4, 5, 6]
    assert "no meter W99999999" in first.errors[0]["reason"]
    assert not MeterRead.objects.filter(installation=meter, register=D("9070")).exists()


def test_a_file_with_the_wrong_header_is_refused(meter):
    report = reads_import("meter,date,value\nW55500001,2026-08-01,1\n")
    assert report.errors == [
        {"line": 1, "reason": "the header must be meter_number,read_on,register,source"}
    ]


def test_keyboard_entry_by_cycle_saves_the_typed_reads(client_as, meter):
    client = client_as(Role.BILLING)
    params = {"cycle": 1, "route": "", "read_on": (START + timedelta(days=210)).isoformat()}
    page = client.get(reverse("billing:reads"), params).content.decode()
    assert f'name="register-{meter.pk}"' in page
    client.post(reverse("billing:reads") + "?cycle=1", {**params, f"register-{meter.pk}": "9072"})
    assert MeterRead.objects.filter(
        installation=meter, register=D("9072"), source="office"
    ).exists()

"""The demo city's Alarm Unit (demo/alarms.py): permits from companies'
files and the counter, a year of calls, invoices, appeals and a suspension,
all made by the services and nothing dated after the seed's as-of day."""

from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import models

from alarms.models import (
    AlarmCompany,
    AlarmInvoice,
    AlarmPermit,
    Appeal,
    Assessment,
    Incident,
    Suspension,
)
from alarms.services.appeals import appeal_decide, appeal_file, appeal_schedule
from alarms.services.feed import feed_import
from alarms.services.permits import Application, permit_apply
from staffing.models import WorkItem

pytestmark = pytest.mark.django_db

PHOENIX = ZoneInfo("America/Phoenix")
AS_OF = date(2026, 11, 1)
# Dated ahead by their nature (as in test_seed_as_of.py's FORWARD).
FORWARD = {
    "AlarmPermit.expires_on",
    "AlarmInvoice.due_on",
    "AlarmInvoice.term_ends_on",
    "Appeal.hearing_by",
    "Appeal.hearing_on",
}


def test_a_false_alarm_invoice_is_appealed_heard_and_decided(admin_user):
    """Found seeding the demo: each appeal service locked its rows with
    select_related of the nullable permit, which PostgreSQL refuses
    ("FOR UPDATE cannot be applied to the nullable side of an outer join")."""
    with time_machine.travel(datetime(2026, 11, 30, 12, tzinfo=PHOENIX), tick=False):
        permit = permit_apply(
            Application(
                holder_name="Maria Gonzales",
                customer_class="residential",
                address="1425 E University Dr",
                zip_code="85203",
                functions=["burglary"],
                issued_on=date(2026, 1, 15),
            )
        )
        header = "incident_number,reported_at,address,alarm_type,disposition,permit_number"
        feed_import(
            content=f"{header}\nMPD-26-000101,2026-11-05T14:22:00,1425 E University Dr,"
            f"burglary,false,{permit.number}\n".encode(),
            filename="cad.csv",
        )
        invoice = AlarmInvoice.objects.get(kind=AlarmInvoice.Kind.FALSE_ALARM)
        appeal = appeal_file(invoice=invoice, filed_on=date(2026, 11, 30), grounds="A storm.")
        appeal = appeal_schedule(
            appeal=appeal, hearing_on=date(2026, 11, 30), hearing_time=time(9, 30)
        )
        appeal = appeal_decide(
            appeal=appeal, outcome="waived", reason="Power failure.", on=date(2026, 11, 30),
            by=admin_user,
        )  # fmt: skip
    assert appeal.status == Appeal.Status.DECIDED and appeal.credit_entry is not None
    assert invoice.assessments.get().status == Assessment.Status.WAIVED


def test_the_demo_has_an_alarm_unit_dated_no_later_than_as_of(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", accounts=60, months=3, as_of=AS_OF, stdout=out)
    assert "Alarm Unit:" in out.getvalue()

    assert AlarmCompany.objects.count() == 25
    permits = AlarmPermit.objects.all()
    assert permits.count() >= 40
    assert permits.filter(created_by__username="alarms").exists()
    assert permits.filter(premise__isnull=False).exists()  # the counter's, at city premises
    assert Incident.objects.filter(permit__isnull=False).count() > 50
    assert Incident.objects.filter(research=Incident.Research.OPEN).exists()
    assert WorkItem.objects.filter(kind="alarm_research").exists()
    for kind in (AlarmInvoice.Kind.PERMIT, AlarmInvoice.Kind.FALSE_ALARM):
        assert AlarmInvoice.objects.filter(kind=kind, entry__isnull=False).exists(), kind
    assert Appeal.objects.exclude(status=Appeal.Status.DECIDED).exists()
    assert Appeal.objects.filter(status=Appeal.Status.DECIDED).exists()
    assert permits.filter(status=AlarmPermit.Status.SUSPENDED).exists()
    assert Suspension.objects.filter(ended_on=AS_OF).exists()  # one reinstated
    assert permits.filter(status=AlarmPermit.Status.EXPIRED).exists()

    late = []
    for model in (
        AlarmCompany, AlarmPermit, Incident, AlarmInvoice, Appeal, Suspension, Assessment
    ):  # fmt: skip
        for field in model._meta.concrete_fields:
            name = f"{model.__name__}.{field.name}"
            if not isinstance(field, models.DateField) or name in FORWARD:
                continue
            for value in model.objects.exclude(**{field.name: None}).values_list(
                field.name, flat=True
            ):
                day = value.astimezone(PHOENIX).date() if isinstance(value, datetime) else value
                if day > AS_OF:
                    late.append(f"{name}: {value}")
    assert late == []

    # Seeded twice, nothing more.
    counts = (AlarmPermit.objects.count(), Incident.objects.count(), Appeal.objects.count())
    call_command("seed_demo", accounts=60, months=3, as_of=AS_OF, stdout=StringIO())
    assert (AlarmPermit.objects.count(), Incident.objects.count(), Appeal.objects.count()) == (
        counts
    )

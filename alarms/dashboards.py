"""The Alarm Permit Unit's measures, on Account Maintenance & Billing's
dashboard (the section runs the unit)."""

from django.urls import reverse_lazy as reverse

from alarms.models import AlarmInvoice, AlarmPermit
from mesa_cs.lib.dashboards import counted, register_measure

SECTION = "account_maintenance"


def register() -> None:
    register_measure(
        counted(
            section=SECTION,
            name="alarm_permits",
            label="Alarm permits issued",
            rows=lambda: AlarmPermit.objects.all(),
            day="issued_on",
            url=reverse("alarms:permits"),
            order=20,
        )
    )
    register_measure(
        counted(
            section=SECTION,
            name="false_alarms",
            label="False alarms invoiced",
            rows=lambda: AlarmInvoice.objects.filter(kind=AlarmInvoice.Kind.FALSE_ALARM),
            day="issued_on",
            url=reverse("alarms:invoices"),
            order=21,
        )
    )

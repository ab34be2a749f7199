"""The Alarm Unit clerk's tiles on the home page (mesa_cs.lib.home):
incidents to research, appeals due for hearing, renewals going out and
suspended permits."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from alarms.models import AlarmPermit, Appeal, Incident
from alarms.rules import fees
from mesa_cs.lib.dates import today
from mesa_cs.lib.home import Figure, Tile, register_tile
from mesa_cs.lib.roles import Role

ALARMS = frozenset({Role.ALARMS})
HEARING_WARNING_DAYS = 7


def to_research(request) -> Figure:
    count = Incident.objects.filter(research=Incident.Research.OPEN).count()
    return Figure(
        count,
        reverse("alarms:incidents") + "?research=open",
        note="alarm calls no permit or address matched",
        tone="warning" if count else "",
    )


def hearings_due(request) -> Figure:
    soon = today() + timedelta(days=HEARING_WARNING_DAYS)
    count = (
        Appeal.objects.exclude(status=Appeal.Status.DECIDED).filter(hearing_by__lte=soon).count()
    )
    return Figure(
        count,
        reverse("alarms:appeals") + f"?hearing_by_to={soon:%Y-%m-%d}",
        note=f"to hear by {soon:%m/%d/%Y}",
        tone="warning" if count else "",
    )


def renewals_going_out(request) -> Figure:
    on = today()
    end = on + timedelta(days=fees.RENEWAL_NOTICE_DAYS)
    count = AlarmPermit.objects.filter(
        status=AlarmPermit.Status.ACTIVE, expires_on__gte=on, expires_on__lte=end
    ).count()
    return Figure(
        count,
        reverse("alarms:permits") + f"?status=active&expires_to={end:%Y-%m-%d}",
        note="permits expiring within 60 days",
    )


def suspended(request) -> Figure:
    count = AlarmPermit.objects.filter(status=AlarmPermit.Status.SUSPENDED).count()
    return Figure(count, reverse("alarms:permits") + "?status=suspended", note="permits suspended")


def register() -> None:
    register_tile(Tile("alarm-research", "Incidents to research", ALARMS, to_research, 10))
    register_tile(Tile("alarm-hearings", "Appeals due for hearing", ALARMS, hearings_due, 20))
    register_tile(Tile("alarm-renewals", "Renewals going out", ALARMS, renewals_going_out, 30))
    register_tile(Tile("alarm-suspended", "Suspended permits", ALARMS, suspended, 40))

"""Credit Services' measures on its dashboard."""

from django.urls import reverse_lazy as reverse

from accounts.models import FieldActivity
from credit.models import CollectionEvent
from mesa_cs.lib.dashboards import counted, register_measure

SECTION = "credit"


def _completed(kind):
    return lambda: FieldActivity.objects.filter(kind=kind, status="completed")


def register() -> None:
    dispatch = reverse("accounts:dispatch")
    register_measure(
        counted(
            section=SECTION,
            name="collection_steps",
            label="Accounts moved a collection step (delinquency)",
            rows=lambda: CollectionEvent.objects.all(),
            day="run_on",
            url=reverse("credit:index"),
            order=10,
        )
    )
    register_measure(
        counted(
            section=SECTION,
            name="disconnects",
            label="Disconnects for non-payment done",
            rows=_completed(FieldActivity.Kind.DISCONNECT),
            day="completed_on",
            url=dispatch,
            order=11,
        )
    )
    register_measure(
        counted(
            section=SECTION,
            name="reconnects",
            label="Reconnects done",
            rows=_completed(FieldActivity.Kind.RECONNECT),
            day="completed_on",
            url=dispatch,
            order=12,
        )
    )

"""The accounts app's tile on the home page (mesa_cs.lib.home): the starts
and stops waiting for today's crews, for the clerks who took them."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from accounts.models import FieldActivity
from mesa_cs.lib.dates import today
from mesa_cs.lib.home import Figure, Part, Tile, register_tile
from mesa_cs.lib.roles import Role


def field_work_today(kinds: dict[str, str], note: str) -> Figure:
    """Today's pending field work of some kinds ({kind: label}), each a link
    to today's crew sheet of that kind; one query."""
    on = today()
    counts = FieldActivity.objects.filter(
        scheduled_on=on, status=FieldActivity.Status.PENDING
    ).aggregate(**{kind: Count("pk", filter=Q(kind=kind)) for kind in kinds})
    sheet = f"{reverse('accounts:dispatch')}?day={on.isoformat()}"
    return Figure(
        sum(counts.values()),
        sheet,
        note=note,
        parts=tuple(
            Part(label, counts[kind], f"{sheet}&kind={kind}") for kind, label in kinds.items()
        ),
    )


def starts_and_stops(request) -> Figure:
    return field_work_today(
        {
            FieldActivity.Kind.CONNECT: "Starts (connect)",
            FieldActivity.Kind.FINAL_READ: "Stops (final read)",
        },
        "pending for today's crews",
    )


def register() -> None:
    register_tile(
        Tile(
            "starts-stops",
            "Starts and stops pending",
            frozenset({Role.CLERK}),
            starts_and_stops,
            order=30,
        )
    )

"""Credit Services' tiles on the home page (mesa_cs.lib.home): the day's
worklist, crews, arrangements, pledges and heat, and the last collections
run for the administrator."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.template.defaultfilters import pluralize
from django.urls import reverse

from accounts.home import field_work_today
from accounts.models import FieldActivity, Utility
from credit.models import (
    ArrangementInstallment,
    CollectionRun,
    CollectionState,
    HeatDay,
    LadderStep,
    PaymentArrangement,
    Pledge,
)
from credit.services.collections import heat_protected
from mesa_cs.lib.dates import today
from mesa_cs.lib.formatting import moment_text
from mesa_cs.lib.home import Figure, Part, Tile, register_tile
from mesa_cs.lib.roles import Role

CREDIT = frozenset({Role.CREDIT})
PLEDGE_WARNING_DAYS = 7


def worklist(request) -> Figure:
    rows = dict(
        CollectionState.objects.filter(step__isnull=False)
        .values("step__action")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("step__action", "n")
    )
    url = reverse("credit:collections")
    return Figure(
        sum(rows.values()),
        url,
        note="accounts on a ladder step",
        parts=tuple(
            Part(label, rows[action], f"{url}?step={action}")
            for action, label in LadderStep.Action.choices
            if action in rows
        ),
    )


def crews_today(request) -> Figure:
    return field_work_today(
        {FieldActivity.Kind.DISCONNECT: "Disconnects", FieldActivity.Kind.RECONNECT: "Reconnects"},
        "waiting for the crew today",
    )


def arrangements_due(request) -> Figure:
    on = today()
    due = ArrangementInstallment.objects.filter(
        arrangement__status=PaymentArrangement.Status.ACTIVE,
        due_on__range=(on, on + timedelta(days=6)),
    ).aggregate(n=Count("pk"), accounts=Count("arrangement__account", distinct=True))
    url = (
        f"{reverse('credit:arrangements')}?status=active"
        f"&due_from={on.isoformat()}&due_to={(on + timedelta(days=6)).isoformat()}"
    )
    accounts = due["accounts"]
    return Figure(
        due["n"],
        url,
        note=f"installments due in the next 7 days, {accounts} account{pluralize(accounts)}",
    )


def pledges_expiring(request) -> Figure:
    on = today()
    until = on + timedelta(days=PLEDGE_WARNING_DAYS)
    count = Pledge.objects.filter(status=Pledge.Status.PENDING, expires_on__lte=until).count()
    url = f"{reverse('credit:pledges')}?status=pending&expiring_before={(until + timedelta(days=1)).isoformat()}"
    return Figure(
        count,
        url,
        note=f"pending, expiring by {until:%m/%d/%Y}",
        tone="warning" if count else "",
    )


def heat(request) -> Figure:
    on = today()
    protected = heat_protected(on)
    days = list(
        HeatDay.objects.filter(day__range=(on, on + timedelta(days=6)))
        .order_by("day", "kind")
        .values_list("day", "kind")
    )
    url = reverse("credit:heat_days")
    value = (
        "No disconnection: " + ", ".join(sorted(Utility(u).label for u in protected))
        if protected
        else "No heat protection today"
    )
    return Figure(
        value,
        url,
        note="the next 7 days recorded below" if days else "no heat days recorded this week",
        parts=tuple(
            Part(day.strftime("%a %m/%d"), HeatDay.Kind(kind).label.split(" (")[0], url)
            for day, kind in days
        ),
        tone="warning" if protected else "",
    )


def last_collections_run(request) -> Figure:
    run = CollectionRun.objects.order_by("-run_on").first()
    url = reverse("credit:collections")
    if run is None:
        return Figure("None yet", url)
    finished = run.finished_at is not None
    return Figure(
        run.run_on.strftime("%m/%d/%Y"),
        url,
        note=f"finished {moment_text(run.finished_at)}" if finished else "still running",
        tone="" if finished else "warning",
    )


def register() -> None:
    register_tile(Tile("worklist", "Today's worklist by step", CREDIT, worklist, 10))
    register_tile(Tile("crews", "Disconnects and reconnects today", CREDIT, crews_today, 20))
    register_tile(
        Tile("arrangements-due", "Arrangements due this week", CREDIT, arrangements_due, 30)
    )
    register_tile(Tile("pledges-expiring", "Pledges expiring", CREDIT, pledges_expiring, 40))
    register_tile(Tile("heat", "Heat forecast", CREDIT, heat, 50))
    register_tile(
        Tile(
            "last-collections-run",
            "Last collections run",
            frozenset({Role.ADMINISTRATOR}),
            last_collections_run,
            30,
        )
    )

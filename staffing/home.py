"""Staffing's tiles on the home page (mesa_cs.lib.home): the user's own work
items and callbacks, and for supervisors the approvals waiting and the
overdue work of each queue."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from mesa_cs.lib.dates import today
from mesa_cs.lib.home import Figure, Part, Tile, register_tile
from mesa_cs.lib.roles import Role
from staffing.models import Section
from staffing.selectors import (
    approvals_waiting,
    callbacks_due,
    work_items_assigned_to,
    work_items_open,
)

# Everyone who is handed work; an administrator's home is the system's health.
WORKERS = frozenset(Role) - {Role.ADMINISTRATOR}
OPEN_STATUSES = [("status", "open"), ("status", "in_progress")]


def my_work(request) -> Figure:
    counts = work_items_assigned_to(request.user).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today()))
    )
    return Figure(
        counts["open"],
        reverse("staffing:index"),
        note=f"{counts['overdue']} overdue" if counts["overdue"] else "none overdue",
        tone="danger" if counts["overdue"] else "",
    )


def my_callbacks(request) -> Figure:
    due = callbacks_due(request.user, today()).count()
    return Figure(due, reverse("staffing:callbacks"), note="follow-ups due by today")


def approvals(request) -> Figure:
    by_kind = approvals_waiting()
    url = reverse("staffing:approvals")
    return Figure(
        sum(by_kind.values()),
        url,
        parts=tuple(Part(label, count, url) for label, count in by_kind.items()),
        tone="warning" if any(by_kind.values()) else "",
    )


def overdue_work(request) -> Figure:
    on = today()
    overdue = work_items_open().filter(due_on__lt=on).order_by()
    counts = dict(overdue.values("section").annotate(n=Count("pk")).values_list("section", "n"))
    before = (on - timedelta(days=1)).isoformat()

    def queue(section):
        query = urlencode([*OPEN_STATUSES, ("due_before", before)])
        return f"{reverse('staffing:queue', args=[section.value])}?{query}"

    return Figure(
        sum(counts.values()),
        reverse("staffing:supervision"),
        parts=tuple(Part(s.label, counts.get(s.value, 0), queue(s)) for s in Section),
        tone="danger" if counts else "",
    )


def register() -> None:
    register_tile(Tile("my-work", "My work items", WORKERS, my_work, order=95))
    register_tile(Tile("my-callbacks", "Callbacks due", frozenset({Role.CLERK}), my_callbacks, 20))
    register_tile(
        Tile("approvals", "Approvals waiting", frozenset({Role.SUPERVISOR}), approvals, 1)
    )
    register_tile(
        Tile("overdue-work", "Overdue work by queue", frozenset({Role.SUPERVISOR}), overdue_work, 2)
    )

"""Staffing's measures on every section's dashboard: work opened, closed
and overdue (mesa_cs.lib.dashboards)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from mesa_cs.lib.dashboards import Measure, counted, register_measure
from staffing.models import Section, WorkItem


def _queue(section: str, **params):
    url = reverse_lazy("staffing:queue", args=[section])
    return format_lazy("{}?{}", url, urlencode(params, doseq=True)) if params else url


def _overdue(section: str) -> Measure:
    def open_items():
        return WorkItem.objects.filter(section=section).exclude(status=WorkItem.Status.CLOSED)

    def closed_late():
        return WorkItem.objects.filter(
            section=section, status=WorkItem.Status.CLOSED, closed_at__date__gt=F("due_on")
        )

    def now(on):
        return open_items().filter(due_on__lt=on).count()

    def weekly(weeks):
        # Overdue work finished each week: closed after its due date.
        return counted(
            section=section, name="", label="", rows=closed_late, day="closed_at__date", url=""
        ).weekly(weeks)

    return Measure(
        section,
        "work_overdue",
        "Work overdue now (trend: closed late)",
        now,
        weekly,
        _queue(section, status=["open", "in_progress"]),
        order=3,
    )


def _calls(field: str, label: str, order: int) -> Measure:
    from staffing.models import CallInterval

    return counted(
        section="contact_center",
        name=f"calls_{field}",
        label=label,
        rows=lambda: CallInterval.objects.filter(agent_id=""),  # the queues' own rows
        day="starts_at__date",
        total=field,
        url=reverse_lazy("staffing:service_levels"),
        order=order,
    )


def _service_level() -> Measure:
    """Answered within 20 s of the calls offered, as a percent (each week's
    ratio of its sums, as the service-level page computes it)."""
    from decimal import ROUND_HALF_UP, Decimal

    offered, in_target = _calls("offered", "", 0), _calls("answered_in_target", "", 0)

    def percent(answered, calls):
        if not calls:
            return Decimal(0)
        return (Decimal(100) * answered / calls).quantize(Decimal("0.1"), ROUND_HALF_UP)

    return Measure(
        "contact_center",
        "service_level",
        "Service level: % answered within 20 s (target 80 %)",
        lambda on: percent(in_target.today(on), offered.today(on)),
        lambda weeks: [
            percent(a, c)
            for a, c in zip(in_target.weekly(weeks), offered.weekly(weeks), strict=True)
        ],
        reverse_lazy("staffing:service_levels"),
        order=12,
    )


def register() -> None:
    register_measure(_calls("offered", "Calls offered", 10))
    register_measure(_calls("abandoned", "Calls abandoned", 11))
    register_measure(_service_level())
    for section in Section:
        s = section.value
        register_measure(
            counted(
                section=s,
                name="work_opened",
                label="Work items opened",
                rows=lambda s=s: WorkItem.objects.filter(section=s),
                day="opened_at__date",
                url=_queue(s, status=["open", "in_progress", "closed"]),
                order=1,
            )
        )
        register_measure(
            counted(
                section=s,
                name="work_closed",
                label="Work items closed",
                rows=lambda s=s: WorkItem.objects.filter(section=s, status=WorkItem.Status.CLOSED),
                day="closed_at__date",
                url=_queue(s, status=["closed"]),
                order=2,
            )
        )
        register_measure(_overdue(s))

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mesa_cs.selectors import audit_events_for
from staffing.models import Section, WorkItem

OPEN = ~Q(status=WorkItem.Status.CLOSED)


def work_items_open() -> QuerySet[WorkItem]:
    return WorkItem.objects.filter(OPEN)


def work_items_assigned_to(user) -> QuerySet[WorkItem]:
    return work_items_open().filter(assignee=user).select_related("account")


def work_items_for_account(account) -> QuerySet[WorkItem]:
    return work_items_open().filter(account=account).select_related("assignee")


def work_items_for_queue(section: str) -> QuerySet[WorkItem]:
    return WorkItem.objects.filter(section=section).select_related("account", "assignee")


def queue_summaries() -> list[dict]:
    """Open, unassigned and overdue counts per section, for the queues page."""
    today = timezone.localdate()
    counts = {
        row["section"]: row
        for row in work_items_open()
        .values("section")
        .annotate(
            open=Count("pk"),
            unassigned=Count("pk", filter=Q(assignee__isnull=True)),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
        )
    }
    empty = {"open": 0, "unassigned": 0, "overdue": 0}
    return [
        {"section": section, **{k: counts.get(section.value, empty)[k] for k in empty}}
        for section in Section
    ]


def section_open_count(section: Section) -> int:
    return work_items_open().filter(section=section).count()


def work_item_history(item: WorkItem):
    return audit_events_for(WorkItem, item.pk)

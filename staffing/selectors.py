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


def approvals_pending() -> list:
    """Every registered kind's requests waiting for a second person, oldest first."""
    from staffing.approvals import approval_kinds

    rows = [row for kind in approval_kinds() for row in kind.pending()]
    return sorted(rows, key=lambda row: (row.since, row.kind, row.pk))


def approvals_waiting() -> dict[str, int]:
    """How many wait, by kind label (one count query per kind)."""
    from staffing.approvals import approval_kinds

    return {kind.label: kind.count() for kind in approval_kinds()}


def callbacks_due(user, on):
    """The contacts a user logged with a follow-up date on or before ``on``
    that nobody has followed up yet (no later contact on the account), oldest
    first: the calls they promised to return."""
    from django.db.models import Exists, OuterRef

    from accounts.models import Contact

    later = Contact.objects.filter(
        account=OuterRef("account"), created_at__gt=OuterRef("created_at")
    )
    return (
        Contact.objects.filter(created_by=user, follow_up_on__lte=on)
        .exclude(Exists(later))
        .select_related("account")
        .order_by("follow_up_on", "pk")
    )

"""Reads of work items, queues, aging, staff and the approvals inbox."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mesa_cs.selectors import audit_events_for
from staffing.models import Section, StaffProfile, WorkItem, WorkKind

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


# Age of open work, in days since it was opened (docs/work_items.md, "Aging").
AGE_BUCKETS = ((0, 2, "0–2 days"), (3, 5, "3–5 days"), (6, 10, "6–10 days"),
               (11, 30, "11–30 days"), (31, None, "Over 30 days"))  # fmt: skip


def _aging_counts(on) -> dict:
    from datetime import datetime, time, timedelta

    from django.utils.timezone import get_current_timezone

    def start_of(days_ago):
        day = on - timedelta(days=days_ago)
        return datetime.combine(day, time.min, tzinfo=get_current_timezone())

    counts = {
        "open": Count("pk"),
        "unassigned": Count("pk", filter=Q(assignee__isnull=True)),
        "overdue": Count("pk", filter=Q(due_on__lt=on)),
    }
    for n, (low, high, _) in enumerate(AGE_BUCKETS):
        # Opened ``low`` to ``high`` days before ``on`` (Phoenix days).
        window = Q(opened_at__lt=start_of(low - 1)) if low else Q()
        if high is not None:
            window &= Q(opened_at__gte=start_of(high))
        counts[f"age{n}"] = Count("pk", filter=window)
    return counts


def _with_buckets(row: dict) -> dict:
    row["ages"] = [row.pop(f"age{n}") for n in range(len(AGE_BUCKETS))]
    return row


def aging_by_queue(on) -> list[dict]:
    """Open work per section: how much, unassigned, overdue and by age."""
    found = {
        row["section"]: _with_buckets(row)
        for row in work_items_open().values("section").annotate(**_aging_counts(on))
    }
    empty = {"open": 0, "unassigned": 0, "overdue": 0, "ages": [0] * len(AGE_BUCKETS)}
    return [{**found.get(s.value, empty), "section": s} for s in Section]


def aging_by_person(on, section: str | None = None) -> list[dict]:
    """Open work in each person's hands (of one section's queue, when
    given), with what they closed in 7 days."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model

    scope = Q(section=section) if section else Q()
    rows = (
        work_items_open()
        .filter(scope, assignee__isnull=False)
        .values("assignee")
        .annotate(**_aging_counts(on))
    )
    found = {row["assignee"]: _with_buckets(row) for row in rows}
    closed = dict(
        WorkItem.objects.filter(
            scope,
            status=WorkItem.Status.CLOSED,
            closed_by__isnull=False,
            closed_at__date__gte=on - timedelta(days=6),
        )
        .values("closed_by")
        .annotate(n=Count("pk"))
        .values_list("closed_by", "n")
    )
    users = get_user_model().objects.filter(pk__in=set(found) | set(closed))
    people = [
        {
            "user": user,
            **found.get(user.pk, {"open": 0, "overdue": 0, "ages": [0] * len(AGE_BUCKETS)}),
            "closed_week": closed.get(user.pk, 0),
        }
        for user in users.select_related("staff_profile")
    ]
    return sorted(people, key=lambda p: (-p["overdue"], -p["open"], p["user"].get_username()))


def staff_who_work(section: str):
    """Active users whose roles work ``section``'s queue, by name."""
    from django.contrib.auth import get_user_model

    from mesa_cs.lib.roles import SECTION_ROLES

    names = [role.value for role in SECTION_ROLES.get(section, ())]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=names)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def staff_profiles():
    return StaffProfile.objects.select_related("user", "supervisor").prefetch_related("skills")


def service_level_of(kind: str) -> WorkKind | None:
    return WorkKind.objects.select_related("skill").filter(kind=kind).first()


def work_item_record_url(item: WorkItem) -> str:
    """The page of the record an item closes with (a complaint), or ""."""
    from django.urls import reverse

    from staffing.levels import CLOSED_WITH_THEIR_RECORD

    prefix = f"{item.kind}:"
    if item.kind in CLOSED_WITH_THEIR_RECORD and item.source_key.startswith(prefix):
        return reverse(f"staffing:{item.kind}", args=[int(item.source_key[len(prefix) :])])
    return ""

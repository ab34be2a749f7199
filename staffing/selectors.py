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


def complaints_list():
    from staffing.models import Complaint

    return Complaint.objects.select_related("account", "opened_by")


def complaint_by_pk(pk: int):
    from staffing.models import Complaint

    return (
        Complaint.objects.select_related("account", "opened_by", "closed_by", "response_letter")
        .filter(pk=pk)
        .first()
    )


def complaints_escalated():
    """The hardest cases: open complaints a supervisor or administrator now
    holds, the nearest deadline first."""
    from staffing.models import Complaint

    return (
        complaints_list()
        .filter(level__gte=Complaint.Level.SUPERVISOR)
        .exclude(status=Complaint.Status.CLOSED)
        .order_by("level_due_on", "pk")
    )


def _spot_candidates(subject: str, since):
    """What may be sampled: ``subject``'s done work since ``since``, with the
    id, who did it and when (a queryset of dicts)."""
    from django.db.models import F

    from accounts.models import JournalEntry, Letter

    if subject == "work_item":
        rows = WorkItem.objects.filter(
            status=WorkItem.Status.CLOSED, closed_by__isnull=False, closed_at__date__gte=since
        ).annotate(staff_id=F("closed_by"), done_at=F("closed_at"))
    elif subject == "payment":
        rows = JournalEntry.objects.filter(
            kind=JournalEntry.Kind.PAYMENT, created_by__isnull=False, effective_on__gte=since
        ).annotate(staff_id=F("created_by"), done_at=F("posted_at"))
    else:
        rows = Letter.objects.filter(
            created_by__isnull=False, created_at__date__gte=since
        ).annotate(staff_id=F("created_by"), done_at=F("created_at"))
    return rows


def spot_check_sample(subject: str, *, since, staff_id=None, size: int = 5) -> list[dict]:
    """A random sample of done work not yet spot-checked."""
    from staffing.models import SpotCheck

    checked = SpotCheck.objects.filter(subject=subject).values("object_id")
    rows = _spot_candidates(subject, since).exclude(pk__in=checked)
    if staff_id:
        rows = rows.filter(staff_id=staff_id)
    return list(rows.order_by("?").values("pk", "staff_id", "done_at")[:size])


def spot_check_target(subject: str, object_id: int):
    """The record a spot check looks at, with who did it, or None."""
    from datetime import date

    row = _spot_candidates(subject, date(2000, 1, 1)).filter(pk=object_id).first()
    return row


def spot_check_questions(subject: str):
    from staffing.models import SpotCheckQuestion

    return list(SpotCheckQuestion.objects.filter(subject=subject, active=True))


def spot_checks_list():
    from staffing.models import SpotCheck

    return SpotCheck.objects.select_related("staff", "checked_by")


def spot_check_scores(user, since) -> dict:
    """How a person's spot-checked work scored since ``since``: how many
    checks and the average score (for their evaluation)."""
    from django.db.models import Avg

    from staffing.models import SpotCheck

    found = SpotCheck.objects.filter(staff=user, checked_at__date__gte=since).aggregate(
        checks=Count("pk"), average=Avg("score")
    )
    return {"checks": found["checks"], "average": found["average"]}


def staff_names(user_ids) -> dict[int, str]:
    """Full names (logins when none) of the given users."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=[pk for pk in user_ids if pk])
    return {u.pk: u.get_full_name() or u.get_username() for u in users}

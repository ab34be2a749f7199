"""Writes on work items. Every later feature hands exceptions to people here."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from mesa_cs.lib.dates import add_working_days, today
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.roles import LEADS, user_roles, user_works_section
from staffing.approvals import approval_kind
from staffing.levels import CLOSED_WITH_THEIR_RECORD
from staffing.models import Section, Skill, StaffProfile, WorkItem, WorkItemNote, WorkKind


@transaction.atomic
def work_item_open(
    *,
    kind: str,
    section: Section | str,
    title: str,
    account=None,
    details: str = "",
    priority: int | None = None,
    due_on: date | None = None,
    opened_by=None,
    source_key: str = "",
) -> WorkItem:
    """Open a work item. With ``source_key``, opening the same open item twice
    returns the first one, so batch jobs can run again safely. Its kind's
    service level (``WorkKind``) sets the owning section, the skill, the due
    date unless the caller gives one (a legal deadline), and the priority,
    which a caller may raise but not lower."""
    item = WorkItem(
        kind=kind,
        section=section,
        title=title[:200],
        account=account,
        details=details,
        priority=priority or WorkItem.Priority.NORMAL,
        due_on=due_on,
        opened_by=opened_by,
        source_key=source_key,
    )
    # Field checks only: the source_key constraint is handled below.
    item.full_clean(
        exclude=["account", "opened_by", "assignee", "closed_by"], validate_constraints=False
    )
    service_level_apply(item, WorkKind.objects.filter(kind=kind).first(), asked=priority)
    if not source_key:
        item.save()
        return item
    existing = _open_with_source(kind, source_key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # Another transaction opened it between our look and our insert.
        existing = _open_with_source(kind, source_key)
        if existing is None:
            raise
        return existing
    return item


@transaction.atomic
def work_items_open_many(items: list[WorkItem]) -> int:
    """Open many system items of one batch at once (an alarm feed's
    incidents to research); those whose kind and source key are already open
    are left out, so a batch run twice opens each once. Returns how many
    were opened."""
    keys = {(item.kind, item.source_key) for item in items}
    if any(not source_key for _, source_key in keys):
        raise ValueError("Items opened in bulk are keyed by a source_key.")
    open_now = set(
        WorkItem.objects.exclude(status=WorkItem.Status.CLOSED)
        .filter(kind__in={kind for kind, _ in keys}, source_key__in={key for _, key in keys})
        .values_list("kind", "source_key")
    )
    levels = {k.kind: k for k in WorkKind.objects.filter(kind__in={kind for kind, _ in keys})}
    fresh, seen = [], set(open_now)
    for item in items:
        if (item.kind, item.source_key) not in seen:
            seen.add((item.kind, item.source_key))
            item.title = item.title[:200]
            service_level_apply(item, levels.get(item.kind), asked=item.priority)
            fresh.append(item)
    WorkItem.objects.bulk_create(fresh)
    return len(fresh)


def service_level_apply(item: WorkItem, level: WorkKind | None, *, asked: int | None) -> None:
    """Set a new item's section, skill, due date and priority from its kind's
    service level (docs/work_items.md, "Service levels"); ``asked`` is the
    priority the raising app gave, if any, which may raise the kind's."""
    if level is None:
        return
    if level.section:
        item.section = level.section
    item.skill_id = level.skill_id
    item.priority = max(asked or 0, level.priority)
    if item.due_on is None:
        item.due_on = add_working_days(today(), level.due_days)


def _open_with_source(kind: str, source_key: str) -> WorkItem | None:
    return (
        WorkItem.objects.exclude(status=WorkItem.Status.CLOSED)
        .filter(kind=kind, source_key=source_key)
        .first()
    )


def _locked_open_item(item_id: int) -> WorkItem:
    item = WorkItem.objects.select_for_update().get(pk=item_id)
    if item.is_closed:
        raise ValidationError("This work item is already closed.")
    return item


@transaction.atomic
def work_item_assign(*, item_id: int, assignee) -> WorkItem:
    item = _locked_open_item(item_id)
    item.assignee = assignee
    item.status = WorkItem.Status.IN_PROGRESS if assignee else WorkItem.Status.OPEN
    item.save(update_fields=["assignee", "status"])
    return item


def pull_sections(user) -> list[str]:
    """The queues "next item" pulls from: the section of the user's staff
    profile when they work it, else every section their roles work."""
    worked = [s.value for s in Section if user_works_section(user, s)]
    profile = StaffProfile.objects.filter(user=user, active=True).first()
    if profile is not None and profile.section in worked:
        return [profile.section]
    return worked


def _skill_ids(user) -> list[int]:
    return list(
        Skill.objects.filter(staff__user=user, staff__active=True).values_list("pk", flat=True)
    )


@transaction.atomic
def work_item_next(*, by) -> WorkItem | None:
    """Hand ``by`` the best open, unassigned item of their queues that needs
    no skill they lack: the highest priority, then the earliest due, then
    the oldest. Rows another person is taking at this moment are skipped
    (SKIP LOCKED), so two people never get the same item."""
    skills = _skill_ids(by)
    item = (
        WorkItem.objects.filter(
            status=WorkItem.Status.OPEN,
            assignee__isnull=True,
            section__in=pull_sections(by),
        )
        .filter(Q(skill__isnull=True) | Q(skill__in=skills))
        .order_by("-priority", F("due_on").asc(nulls_last=True), "opened_at", "pk")
        .select_for_update(skip_locked=True, of=("self",))
        .first()
    )
    if item is None:
        return None
    item.assignee, item.status = by, WorkItem.Status.IN_PROGRESS
    item.save(update_fields=["assignee", "status"])
    return item


def _refuse_unless_lead(by) -> None:
    if not user_roles(by) & LEADS:
        raise PermissionDenied("Only a Supervisor or an Administrator hands out work.")


@transaction.atomic
def work_item_assign_to(*, item_id: int, assignee, by) -> WorkItem:
    """A supervisor hands the item to a person who works its section."""
    _refuse_unless_lead(by)
    item = _locked_open_item(item_id)
    if not assignee.is_active or not user_works_section(assignee, item.section):
        raise ValidationError(
            {"assignee": f"{_name(assignee)} does not work the {item.get_section_display()} queue."}
        )
    item.assignee, item.status = assignee, WorkItem.Status.IN_PROGRESS
    item.save(update_fields=["assignee", "status"])
    return item


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def work_item_assign_by_skill(*, item_id: int, by) -> WorkItem:
    """A supervisor hands the item to whoever on the section's staff has the
    skill it needs and the fewest items in hand (ties: by name)."""
    _refuse_unless_lead(by)
    item = _locked_open_item(item_id)
    staff = StaffProfile.objects.filter(active=True, section=item.section, user__is_active=True)
    if item.skill_id is not None:
        staff = staff.filter(skills=item.skill_id)
    staff = staff.annotate(
        in_hand=Count(
            "user__assigned_work_items",
            filter=~Q(user__assigned_work_items__status=WorkItem.Status.CLOSED),
        )
    ).order_by("in_hand", "user__last_name", "user__first_name", "user__username")
    chosen = next(
        (p.user for p in staff.select_related("user") if user_works_section(p.user, item.section)),
        None,
    )
    if chosen is None:
        needs = f" with the skill {item.skill}" if item.skill_id else ""
        raise ValidationError(
            f"Nobody on the {item.get_section_display()} staff{needs} can take it."
        )
    item.assignee, item.status = chosen, WorkItem.Status.IN_PROGRESS
    item.save(update_fields=["assignee", "status"])
    return item


@transaction.atomic
def work_item_transfer(*, item_id: int, section: str, by, reason: str) -> WorkItem:
    """Send the item to another section's queue, unassigned, with the reason
    as a note. Its own section's staff (and the leads) transfer it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the item goes to another queue."})
    reject_card_numbers(reason=reason)
    item = _locked_open_item(item_id)
    if not user_works_section(by, item.section):
        raise PermissionDenied(f"Only {item.get_section_display()} staff transfer this item.")
    try:
        to = Section(section)
    except ValueError as exc:
        raise ValidationError({"section": "Choose a section."}) from exc
    if to == item.section:
        raise ValidationError({"section": "The item is already in that queue."})
    was = item.get_section_display()
    item.section, item.assignee, item.status = to, None, WorkItem.Status.OPEN
    item.save(update_fields=["section", "assignee", "status"])
    WorkItemNote.objects.create(
        item=item, author=by, text=f"Transferred from {was} to {to.label}: {reason}"
    )
    return item


@transaction.atomic
def work_item_note_add(*, item_id: int, author, text: str) -> WorkItemNote:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the note before saving it."})
    reject_card_numbers(text=text)
    item = WorkItem.objects.get(pk=item_id)
    return WorkItemNote.objects.create(item=item, author=author, text=text)


@transaction.atomic
def work_item_close(
    *, item_id: int, closed_by, outcome: str, note: str = "", by_record: bool = False
) -> WorkItem:
    """Close an item with its outcome. An item that stands for a record
    worked on its own page (a complaint) closes only with that record
    (``by_record``), so the record never stays open out of every queue."""
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": "Say how the work item was resolved."})
    reject_card_numbers(outcome=outcome, note=note)
    item = _locked_open_item(item_id)
    if item.kind in CLOSED_WITH_THEIR_RECORD and not by_record:
        raise ValidationError(
            "This item closes when its complaint is closed, on the complaint's page."
        )
    item.status = WorkItem.Status.CLOSED
    item.outcome = outcome[:200]
    item.closed_by = closed_by
    item.closed_at = timezone.now()
    item.save(update_fields=["status", "outcome", "closed_by", "closed_at"])
    if note.strip() and closed_by is not None:
        WorkItemNote.objects.create(item=item, author=closed_by, text=note.strip())
    return item


def work_item_close_for_source(*, kind: str, source_key: str, closed_by, outcome: str) -> None:
    """Close the open item a record raised, if there is one (the record was
    dealt with elsewhere, e.g. an adjustment approved from its own page)."""
    item = _open_with_source(kind, source_key)
    if item is not None:
        work_item_close(item_id=item.pk, closed_by=closed_by, outcome=outcome, by_record=True)


def decline_reason(why: str, what: str) -> str:
    """The reason a second person gives for declining a request: required,
    and no card number in it."""
    why = why.strip()
    if not why:
        raise ValidationError({"why": f"Say why {what} is declined."})
    reject_card_numbers(why=why)
    return why


def request_decided(record, *, status: str, by, work_item: tuple[str, str], outcome: str, why=""):
    """Record the decision on a second-person request (a row with ``status``,
    ``decided_by``, ``decided_at`` and ``decline_reason``) and close the work
    item it opened."""
    record.status = status
    record.decided_by, record.decided_at = by, timezone.now()
    fields = ["status", "decided_by", "decided_at"]
    if why:
        record.decline_reason = why[:200]
        fields.append("decline_reason")
    record.save(update_fields=fields)
    kind, source_key = work_item
    work_item_close_for_source(
        kind=kind, source_key=source_key, closed_by=by, outcome=outcome[:200]
    )


@transaction.atomic
def approval_decide(*, kind: str, pk: int, by, approve: bool, reason: str) -> None:
    """Approve or decline one request of the approvals inbox through its own
    app's service (which checks who may decide and whether it still waits).
    The reason is recorded on the work item the request opened, by the
    decider; a decline needs one (its service keeps it too)."""
    registered = approval_kind(kind)
    if registered is None:
        raise ValidationError("No such kind of approval.")
    reason = reason.strip()
    reject_card_numbers(reason=reason)
    if not approve and not reason:
        raise ValidationError({"reason": "Say why it is declined."})
    item = _open_with_source(*registered.work_item(pk)) if registered.work_item else None
    if approve:
        registered.approve(pk=pk, by=by)
    else:
        registered.decline(pk=pk, by=by, why=reason)
    if item is not None and reason:
        decided = "Approved" if approve else "Declined"
        WorkItemNote.objects.create(item=item, author=by, text=f"{decided}: {reason}")

"""Complaints' writes (docs/complaints.md): record, note, escalate (by hand
or past the deadline), answer in writing and close with the root cause."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mesa_cs.lib.dates import add_working_days, today
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.roles import LEADS, user_roles, user_works_section
from staffing.models import Section, WorkItem
from staffing.services.work_items import (
    _open_with_source,
    work_item_close_for_source,
    work_item_open,
)

# Working days each level has to resolve a complaint before it escalates.
COMPLAINT_LEVEL_DAYS = {1: 2, 2: 3, 3: 5}
COMPLAINT_PRIORITY = {
    1: WorkItem.Priority.HIGH,
    2: WorkItem.Priority.URGENT,
    3: WorkItem.Priority.URGENT,
}
# Which queue works a complaint, by its category; the rest, the Contact Center.
COMPLAINT_SECTIONS = {
    "high_bill": Section.ACCOUNT_MAINTENANCE,
    "billing": Section.ACCOUNT_MAINTENANCE,
    "alarm": Section.ACCOUNT_MAINTENANCE,
    "collections": Section.CREDIT,
    "solid_waste": Section.SOLID_WASTE,
}
COMPLAINT_WORK = "complaint"


def _complaint_source(complaint) -> str:
    return f"complaint:{complaint.pk}"


def complaint_may_act(user, complaint) -> bool:
    """Who may respond to, escalate or close a complaint at its level: the
    owning section's staff at the clerk level, Supervisors (and
    Administrators) at the supervisor level, Administrators at theirs."""
    from mesa_cs.lib.roles import Role

    roles = user_roles(user)
    if complaint.level >= complaint.Level.ADMINISTRATOR:
        return Role.ADMINISTRATOR in roles
    if complaint.level == complaint.Level.SUPERVISOR:
        return bool(roles & LEADS)
    return user_works_section(
        user, COMPLAINT_SECTIONS.get(complaint.category, Section.CONTACT_CENTER)
    )


def _locked_complaint(complaint_id: int, by):
    from staffing.models import Complaint

    complaint = Complaint.objects.select_for_update().get(pk=complaint_id)
    if complaint.status == Complaint.Status.CLOSED:
        raise ValidationError("This complaint is closed.")
    if not complaint_may_act(by, complaint):
        raise PermissionDenied(
            f"At the {complaint.get_level_display().lower()} level, this complaint is not yours to act on."
        )
    return complaint


def _step(complaint, kind: str, text: str, by) -> None:
    from staffing.models import ComplaintStep

    ComplaintStep.objects.create(complaint=complaint, kind=kind, text=text, by=by)


@transaction.atomic
def complaint_open(
    *, channel: str, category: str, description: str, by, account=None, customer_name: str = ""
):
    """Record a complaint from a contact: logged on the account's contact
    history, and a high-priority work item in the queue its category
    belongs to, due when the clerk level's deadline falls."""
    from accounts.models import Contact
    from accounts.services import contact_log
    from staffing.models import Complaint

    reject_card_numbers(description=description, customer_name=customer_name)
    complaint = Complaint(
        account=account,
        customer_name=customer_name.strip(),
        channel=channel,
        category=category,
        description=description.strip(),
        level_due_on=add_working_days(today(), COMPLAINT_LEVEL_DAYS[1]),
        opened_by=by,
    )
    if not complaint.description:
        raise ValidationError({"description": "Write down what the customer complains of."})
    if account is None and not complaint.customer_name:
        raise ValidationError({"customer_name": "Name the customer, or find their account."})
    complaint.full_clean(exclude=["account", "opened_by", "closed_by", "response_letter"])
    complaint.save()
    _step(complaint, "opened", complaint.description, by)
    if account is not None:
        contact_log(
            account=account,
            channel=channel if channel in Contact.Channel.values else Contact.Channel.CALL,
            topic=Contact.Topic.COMPLAINT,
            notes=f"Complaint #{complaint.pk} ({complaint.get_category_display()}): "
            f"{complaint.description}"[:1000],
            created_by=by,
        )
    work_item_open(
        kind=COMPLAINT_WORK,
        section=COMPLAINT_SECTIONS.get(category, Section.CONTACT_CENTER),
        title=f"Complaint #{complaint.pk}: {complaint.get_category_display()}",
        account=account,
        details=complaint.description,
        priority=COMPLAINT_PRIORITY[1],
        due_on=complaint.level_due_on,
        opened_by=by,
        source_key=_complaint_source(complaint),
    )
    return complaint


@transaction.atomic
def complaint_note(*, complaint_id: int, text: str, by):
    """An investigation note: anyone working the queues may add what they found."""
    from staffing.models import Complaint

    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the note before saving it."})
    reject_card_numbers(text=text)
    complaint = Complaint.objects.get(pk=complaint_id)
    _step(complaint, "note", text, by)
    return complaint


def _escalate(complaint, reason: str, by) -> None:
    complaint.level += 1
    complaint.level_due_on = add_working_days(today(), COMPLAINT_LEVEL_DAYS[complaint.level])
    complaint.save(update_fields=["level", "level_due_on"])
    _step(complaint, "escalated", f"To the {complaint.get_level_display().lower()}: {reason}", by)
    item = _open_with_source(COMPLAINT_WORK, _complaint_source(complaint))
    if item is not None:
        item.priority = COMPLAINT_PRIORITY[complaint.level]
        item.due_on = complaint.level_due_on
        item.assignee, item.status = None, WorkItem.Status.OPEN
        item.title = f"{item.title.split(' — ')[0]} — escalated to the {complaint.get_level_display().lower()}"
        item.save(update_fields=["priority", "due_on", "assignee", "status", "title"])


@transaction.atomic
def complaint_escalate(*, complaint_id: int, reason: str, by):
    """Hand the complaint up a level (clerk → supervisor → administrator)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why it goes up a level."})
    reject_card_numbers(reason=reason)
    complaint = _locked_complaint(complaint_id, by)
    if complaint.level >= complaint.Level.ADMINISTRATOR:
        raise ValidationError("An administrator's complaint goes no higher.")
    _escalate(complaint, reason, by)
    return complaint


@transaction.atomic
def complaints_escalate_overdue() -> int:
    """Every open complaint past its level's deadline goes up a level (the
    nightly task; running it twice in a day escalates nothing twice, as the
    new level's deadline is ahead)."""
    from staffing.models import Complaint

    overdue = (
        Complaint.objects.select_for_update(skip_locked=True)
        .filter(level_due_on__lt=today(), level__lt=Complaint.Level.ADMINISTRATOR)
        .exclude(status=Complaint.Status.CLOSED)
    )
    count = 0
    for complaint in overdue:
        _escalate(complaint, "not resolved by its deadline", None)
        count += 1
    return count


@transaction.atomic
def complaint_respond(*, complaint_id: int, text: str, by):
    """The written response: a letter from the general letter template on
    the complaint's account (mailed or e-mailed like every letter, logged in
    the contact history); without an account the text is kept for the
    letter sent by hand."""
    from accounts.services.letters import letter_send
    from staffing.models import Complaint

    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the response."})
    reject_card_numbers(text=text)
    complaint = _locked_complaint(complaint_id, by)
    if complaint.response_letter_id is not None:
        raise ValidationError("The response has already been sent.")
    if complaint.account is not None:
        complaint.response_letter = letter_send(
            account=complaint.account,
            kind="general",
            merge={"message": text},
            sent_by=by,
            source_key=f"complaint:{complaint.pk}:response",
        )
    complaint.response = text
    complaint.status = Complaint.Status.RESPONDED
    complaint.save(update_fields=["response", "response_letter", "status"])
    _step(complaint, "responded", text, by)
    return complaint


@transaction.atomic
def complaint_close(*, complaint_id: int, root_cause: str, resolution: str, by):
    """Close it with its root cause, once the written response is sent."""
    from staffing.models import Complaint

    reject_card_numbers(resolution=resolution)
    complaint = _locked_complaint(complaint_id, by)
    if complaint.status != Complaint.Status.RESPONDED:
        raise ValidationError("Send the written response before closing the complaint.")
    if root_cause not in Complaint.RootCause.values:
        raise ValidationError({"root_cause": "Choose the root cause."})
    complaint.root_cause, complaint.resolution = root_cause, resolution.strip()
    complaint.status = Complaint.Status.CLOSED
    complaint.closed_by, complaint.closed_at = by, timezone.now()
    complaint.save(update_fields=["root_cause", "resolution", "status", "closed_by", "closed_at"])
    _step(complaint, "closed", f"{complaint.get_root_cause_display()}: {complaint.resolution}", by)
    work_item_close_for_source(
        kind=COMPLAINT_WORK,
        source_key=_complaint_source(complaint),
        closed_by=by,
        outcome=f"Complaint closed: {complaint.get_root_cause_display()}",
    )
    return complaint

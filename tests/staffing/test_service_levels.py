"""Work queues with service levels (issue 16 item 2, docs/work_items.md):
each kind's service level sets the section, skill, due date and priority of
the items it opens; staff pull "next item", supervisors assign by person or
by skill, items move between queues."""

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from mesa_cs.lib.dates import add_working_days
from mesa_cs.lib.roles import Role
from staffing.models import Section, Skill, StaffProfile, WorkItem, WorkKind
from staffing.services import (
    work_item_assign,
    work_item_assign_by_skill,
    work_item_assign_to,
    work_item_next,
    work_item_open,
    work_item_transfer,
    work_items_open_many,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "start, days, due",
    [
        (date(2026, 12, 1), 2, date(2026, 12, 3)),  # Tue + 2 = Thu
        (date(2026, 12, 3), 2, date(2026, 12, 8)),  # Thu + 2 = next Tue (Fri-Sun off)
        (date(2026, 12, 4), 1, date(2026, 12, 8)),  # opened on a Friday: counts from Monday
        (date(2026, 12, 6), 0, date(2026, 12, 7)),  # Sunday, due the same working day: Monday
        (date(2026, 12, 1), 8, date(2026, 12, 15)),
    ],
)
def test_working_days_are_monday_to_thursday(start, days, due):
    assert add_working_days(start, days) == due


def _profile(user, section, *skills, office=""):
    profile = StaffProfile.objects.create(user=user, section=section, office=office)
    profile.skills.set(Skill.objects.filter(code__in=skills))
    return profile


def test_a_kinds_service_level_sets_section_skill_due_and_priority(settings):
    level = WorkKind.objects.get(kind="read_exception")
    assert (level.section, level.due_days, level.skill.code) == (
        "account_maintenance",
        2,
        "billing",
    )
    item = work_item_open(kind="read_exception", section=Section.CREDIT, title="High read")
    assert item.section == Section.ACCOUNT_MAINTENANCE
    assert item.skill.code == "billing"
    assert item.priority == level.priority
    from mesa_cs.lib.dates import today

    assert item.due_on == add_working_days(today(), 2)


def test_the_caller_may_raise_the_priority_and_set_a_legal_deadline():
    WorkKind.objects.filter(kind="alarm_appeal").update(priority=WorkItem.Priority.NORMAL)
    item = work_item_open(
        kind="alarm_appeal",
        section=Section.ACCOUNT_MAINTENANCE,
        title="Appeal",
        due_on=date(2027, 1, 15),
        priority=WorkItem.Priority.URGENT,
    )
    assert (item.due_on, item.priority) == (date(2027, 1, 15), WorkItem.Priority.URGENT)
    lowered = work_item_open(
        kind="alarm_appeal",
        section=Section.ACCOUNT_MAINTENANCE,
        title="Low",
        priority=WorkItem.Priority.LOW,
    )
    assert lowered.priority == WorkItem.Priority.NORMAL  # not below the kind's


def test_an_administrators_change_applies_to_the_next_item():
    WorkKind.objects.filter(kind="deposit_dispute").update(due_days=0, priority=4)
    item = work_item_open(kind="deposit_dispute", section=Section.CREDIT, title="Dispute")
    assert item.priority == WorkItem.Priority.URGENT
    assert item.is_overdue is False


def test_a_kind_without_a_service_level_keeps_what_the_app_says():
    item = work_item_open(kind="enquiry", section=Section.CREDIT, title="Question")
    assert (item.section, item.due_on, item.skill, item.priority) == (
        Section.CREDIT,
        None,
        None,
        WorkItem.Priority.NORMAL,
    )


def test_items_opened_in_bulk_get_the_service_level_too():
    work_items_open_many(
        [
            WorkItem(
                kind="alarm_research",
                section=Section.ACCOUNT_MAINTENANCE,
                title="Incident 1",
                source_key="i:1",
            )
        ]
    )
    item = WorkItem.objects.get(source_key="i:1")
    assert item.skill.code == "alarms" and item.due_on is not None


def test_next_item_is_the_best_one_the_person_may_take(role_users):
    billing = role_users[Role.BILLING]
    _profile(billing, Section.ACCOUNT_MAINTENANCE, "billing")
    alarms_only = work_item_open(
        kind="alarm_research", section=Section.ACCOUNT_MAINTENANCE, title="Alarm incident"
    )
    normal = work_item_open(
        kind="read_exception", section=Section.ACCOUNT_MAINTENANCE, title="Read, normal"
    )
    urgent = work_item_open(
        kind="read_exception",
        section=Section.ACCOUNT_MAINTENANCE,
        title="Read, urgent",
        priority=WorkItem.Priority.URGENT,
    )
    work_item_open(kind="deposit_dispute", section=Section.CREDIT, title="Another section's")
    assert work_item_next(by=billing) == urgent
    assert work_item_next(by=billing) == normal
    assert work_item_next(by=billing) is None  # the alarm item needs a skill they lack
    taken = WorkItem.objects.get(pk=urgent.pk)
    assert (taken.assignee, taken.status) == (billing, WorkItem.Status.IN_PROGRESS)
    assert WorkItem.objects.get(pk=alarms_only.pk).assignee is None


def test_next_item_takes_the_earliest_due_within_a_priority(role_users):
    credit = role_users[Role.CREDIT]
    later = work_item_open(
        kind="enquiry", section=Section.CREDIT, title="Later", due_on=date(2027, 1, 9)
    )
    sooner = work_item_open(
        kind="enquiry", section=Section.CREDIT, title="Sooner", due_on=date(2026, 12, 2)
    )
    undated = work_item_open(kind="enquiry", section=Section.CREDIT, title="No date")
    assert [work_item_next(by=credit) for _ in range(3)] == [sooner, later, undated]


def test_a_profile_narrows_a_supervisor_to_their_section(role_users):
    supervisor = role_users[Role.SUPERVISOR]
    work_item_open(kind="enquiry", section=Section.CREDIT, title="Credit")
    mine = work_item_open(kind="enquiry", section=Section.CONTACT_CENTER, title="Contact")
    _profile(supervisor, Section.CONTACT_CENTER)
    assert work_item_next(by=supervisor) == mine
    assert work_item_next(by=supervisor) is None


@pytest.mark.django_db(transaction=True)
def test_next_item_never_hands_one_item_to_two_people_at_once():
    people = [UserFactory(username=f"rep{n}", role=Role.CREDIT) for n in range(6)]
    for n in range(30):
        work_item_open(kind="enquiry", section=Section.CREDIT, title=f"Item {n}")
    barrier = threading.Barrier(len(people))
    handed: list[list[int]] = [[] for _ in people]
    errors = []

    def pull(i):
        try:
            barrier.wait()
            while (item := work_item_next(by=people[i])) is not None:
                handed[i].append(item.pk)
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=pull, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    every = [pk for pks in handed for pk in pks]
    assert len(every) == 30 and len(set(every)) == 30
    for person, pks in zip(people, handed, strict=True):
        assert set(WorkItem.objects.filter(assignee=person).values_list("pk", flat=True)) == set(
            pks
        )


def test_a_supervisor_assigns_to_a_person_of_the_section(role_users):
    supervisor = role_users[Role.SUPERVISOR]
    item = work_item_open(kind="deposit_dispute", section=Section.CREDIT, title="Dispute")
    with pytest.raises(ValidationError, match="does not work the Credit Services queue"):
        work_item_assign_to(item_id=item.pk, assignee=role_users[Role.CASHIER], by=supervisor)
    with pytest.raises(PermissionDenied):
        work_item_assign_to(
            item_id=item.pk, assignee=role_users[Role.CREDIT], by=role_users[Role.CREDIT]
        )
    work_item_assign_to(item_id=item.pk, assignee=role_users[Role.CREDIT], by=supervisor)
    assert WorkItem.objects.get(pk=item.pk).assignee == role_users[Role.CREDIT]


def test_assigning_by_skill_picks_the_least_loaded_person_with_it(role_users):
    supervisor = role_users[Role.SUPERVISOR]
    busy = UserFactory(username="busy", last_name="Adams", role=Role.CREDIT)
    idle = UserFactory(username="idle", last_name="Baker", role=Role.CREDIT)
    no_skill = UserFactory(username="noskill", last_name="Aaron", role=Role.CREDIT)
    _profile(busy, Section.CREDIT, "credit")
    _profile(idle, Section.CREDIT, "credit")
    _profile(no_skill, Section.CREDIT)
    held = work_item_open(kind="enquiry", section=Section.CREDIT, title="In hand")
    work_item_assign(item_id=held.pk, assignee=busy)
    item = work_item_open(kind="deposit_dispute", section=Section.CREDIT, title="Dispute")
    assert work_item_assign_by_skill(item_id=item.pk, by=supervisor).assignee == idle
    second = work_item_open(kind="deposit_dispute", section=Section.CREDIT, title="Dispute 2")
    # Both have one in hand now: the tie goes by name.
    assert work_item_assign_by_skill(item_id=second.pk, by=supervisor).assignee == busy


def test_assigning_by_skill_says_when_nobody_has_it(role_users):
    item = work_item_open(kind="missed_pickup", section=Section.SOLID_WASTE, title="Missed pickup")
    with pytest.raises(ValidationError, match="with the skill Solid waste"):
        work_item_assign_by_skill(item_id=item.pk, by=role_users[Role.SUPERVISOR])


def test_a_transfer_moves_the_item_unassigned_with_the_reason(role_users):
    credit = role_users[Role.CREDIT]
    item = work_item_open(kind="enquiry", section=Section.CREDIT, title="Wrong queue")
    work_item_assign(item_id=item.pk, assignee=credit)
    with pytest.raises(ValidationError):
        work_item_transfer(item_id=item.pk, section=Section.BUSINESS_OFFICE, by=credit, reason=" ")
    with pytest.raises(PermissionDenied):
        work_item_transfer(
            item_id=item.pk, section="business_office", by=role_users[Role.EMS], reason="x"
        )
    work_item_transfer(
        item_id=item.pk, section="business_office", by=credit, reason="Walk-in payment question"
    )
    item.refresh_from_db()
    assert (item.section, item.assignee, item.status) == ("business_office", None, "open")
    assert item.notes.get().text == (
        "Transferred from Credit Services to Business Office: Walk-in payment question"
    )

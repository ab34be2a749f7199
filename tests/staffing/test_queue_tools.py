"""The queue tools in the browser's terms (issue 16 item 2): "Next item",
a supervisor's assignment by person or skill, transfer, and the aging and
overdue page per queue and per person."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mesa_cs.lib.roles import Role
from staffing.models import Section, Skill, StaffProfile, WorkItem
from staffing.services import work_item_assign, work_item_open

pytestmark = pytest.mark.django_db


def test_next_item_hands_the_best_item_and_opens_it(client_as, role_users):
    work_item_open(kind="enquiry", section=Section.CREDIT, title="Normal")
    urgent = work_item_open(
        kind="enquiry", section=Section.CREDIT, title="Urgent", priority=WorkItem.Priority.URGENT
    )
    client = client_as(Role.CREDIT)
    response = client.post(reverse("staffing:work_item_next"))
    assert response["Location"] == urgent.get_absolute_url()
    assert WorkItem.objects.get(pk=urgent.pk).assignee == role_users[Role.CREDIT]


def test_next_item_says_when_nothing_waits(client_as):
    response = client_as(Role.EMS).post(reverse("staffing:work_item_next"), follow=True)
    assert "Nothing is waiting in your queues" in response.content.decode()


def test_a_supervisor_assigns_from_the_item_page(client_as, role_users):
    item = work_item_open(kind="deposit_dispute", section=Section.CREDIT, title="Dispute")
    client = client_as(Role.SUPERVISOR)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Hand it to someone" in page and "Deposit dispute: due in 5 working days" in page
    credit = role_users[Role.CREDIT]
    response = client.post(
        reverse("staffing:work_item_assign", args=[item.pk]), {"assignee": credit.pk}
    )
    assert response.status_code == 302
    assert WorkItem.objects.get(pk=item.pk).assignee == credit
    # A cashier does not work the Credit queue: not offered, and refused.
    refused = client.post(
        reverse("staffing:work_item_assign", args=[item.pk]),
        {"assignee": role_users[Role.CASHIER].pk},
    )
    assert refused.status_code == 400
    assert WorkItem.objects.get(pk=item.pk).assignee == credit


def test_assign_by_skill_from_the_item_page(client_as, role_users):
    credit = role_users[Role.CREDIT]
    StaffProfile.objects.create(user=credit, section=Section.CREDIT).skills.set(
        Skill.objects.filter(code="credit")
    )
    item = work_item_open(kind="deposit_dispute", section=Section.CREDIT, title="Dispute")
    response = client_as(Role.SUPERVISOR).post(
        reverse("staffing:work_item_assign", args=[item.pk]), {"by_skill": "1"}
    )
    assert response.status_code == 302
    assert WorkItem.objects.get(pk=item.pk).assignee == credit


def test_only_leads_see_and_use_the_assign_form(client_as, role_users):
    item = work_item_open(kind="deposit_dispute", section=Section.CREDIT, title="Dispute")
    client = client_as(Role.CREDIT)
    assert "Hand it to someone" not in client.get(item.get_absolute_url()).content.decode()
    response = client.post(
        reverse("staffing:work_item_assign", args=[item.pk]),
        {"assignee": role_users[Role.CREDIT].pk},
    )
    assert response.status_code == 403


def test_a_transfer_from_the_item_page_names_the_field_when_refused(client_as):
    item = work_item_open(kind="enquiry", section=Section.CREDIT, title="Wrong queue")
    client = client_as(Role.CREDIT)
    url = reverse("staffing:work_item_transfer", args=[item.pk])
    refused = client.post(url, {"section": "credit", "reason": "oops"})
    assert refused.status_code == 400
    assert "already in that queue" in refused.content.decode()
    assert (
        client.post(url, {"section": "contact_center", "reason": "Billing question"}).status_code
        == 302
    )
    assert WorkItem.objects.get(pk=item.pk).section == "contact_center"


def test_the_aging_page_counts_by_age_overdue_and_person(client_as, role_users):
    now = timezone.now()
    old = work_item_open(kind="enquiry", section=Section.CREDIT, title="Old")
    WorkItem.objects.filter(pk=old.pk).update(
        opened_at=now - timedelta(days=12), due_on=(now - timedelta(days=5)).date()
    )
    fresh = work_item_open(kind="enquiry", section=Section.CREDIT, title="Fresh")
    work_item_assign(item_id=fresh.pk, assignee=role_users[Role.CREDIT])
    from mesa_cs.lib.dates import today
    from staffing.selectors import aging_by_person, aging_by_queue

    credit = next(q for q in aging_by_queue(today()) if q["section"] == Section.CREDIT)
    assert (credit["open"], credit["unassigned"], credit["overdue"]) == (2, 1, 1)
    assert credit["ages"] == [1, 0, 0, 1, 0]
    (person,) = aging_by_person(today())
    assert person["user"] == role_users[Role.CREDIT] and person["open"] == 1
    page = client_as(Role.SUPERVISOR).get(reverse("staffing:aging"))
    assert page.status_code == 200 and "Over 30 days" in page.content.decode()
    assert client_as(Role.CREDIT).get(reverse("staffing:aging")).status_code == 403

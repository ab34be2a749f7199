"""Complaints (issue 16 item 3, docs/complaints.md): recorded from any
contact, worked in the category's queue, escalated clerk → supervisor →
administrator each with its deadline, answered in writing from the letter
templates and closed with the root cause."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Contact, Letter, LetterTemplate
from accounts.rules import letter_texts
from mesa_cs.lib.dates import add_working_days, today
from mesa_cs.lib.roles import Role
from staffing.models import Complaint, WorkItem
from staffing.services import (
    complaint_close,
    complaint_escalate,
    complaint_note,
    complaint_open,
    complaint_respond,
    complaints_escalate_overdue,
)
from tests.accounts.test_letters import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def templates():
    letter_texts.install_default_templates(LetterTemplate)


@pytest.fixture
def complaint(role_users):
    return complaint_open(
        account=make_customer(),
        channel="call",
        category="high_bill",
        description="Bill doubled in July; nobody home all month",
        by=role_users[Role.CLERK],
    )


def _item(complaint):
    return WorkItem.objects.get(kind="complaint", source_key=f"complaint:{complaint.pk}")


def test_a_complaint_is_logged_and_waits_in_its_categorys_queue(complaint):
    assert complaint.level == Complaint.Level.CLERK
    assert complaint.level_due_on == add_working_days(today(), 2)
    item = _item(complaint)
    assert item.section == "account_maintenance"  # a high bill: Billing's queue
    assert (item.priority, item.due_on) == (WorkItem.Priority.HIGH, complaint.level_due_on)
    contact = Contact.objects.get(account=complaint.account, topic=Contact.Topic.COMPLAINT)
    assert f"Complaint #{complaint.pk} (High bill)" in contact.notes
    assert [s.kind for s in complaint.steps.all()] == ["opened"]


def test_without_an_account_the_customer_is_named(role_users):
    with pytest.raises(ValidationError, match="Name the customer"):
        complaint_open(
            channel="walk_in", category="staff", description="Rude", by=role_users[Role.CLERK]
        )
    walk_in = complaint_open(
        channel="walk_in",
        category="staff",
        description="Waited 40 minutes at the East office",
        customer_name="Luis Romero",
        by=role_users[Role.CLERK],
    )
    assert _item(walk_in).section == "contact_center"


def test_a_card_number_in_the_description_is_refused(role_users):
    with pytest.raises(ValidationError, match="card number"):
        complaint_open(
            channel="call",
            category="billing",
            description="Charged twice on 4111 1111 1111 1111",
            customer_name="Ann Lee",
            by=role_users[Role.CLERK],
        )
    assert not Complaint.objects.exists()


def test_escalation_moves_the_deadline_and_who_may_act(complaint, role_users):
    billing, supervisor, admin = (
        role_users[Role.BILLING],
        role_users[Role.SUPERVISOR],
        role_users[Role.ADMINISTRATOR],
    )
    with pytest.raises(PermissionDenied):  # the clerk level is the Billing queue's
        complaint_escalate(complaint_id=complaint.pk, reason="x", by=role_users[Role.CREDIT])
    complaint_escalate(
        complaint_id=complaint.pk, reason="Customer asks for a supervisor", by=billing
    )
    complaint.refresh_from_db()
    assert complaint.level == Complaint.Level.SUPERVISOR
    assert complaint.level_due_on == add_working_days(today(), 3)
    item = _item(complaint)
    assert (item.priority, item.due_on, item.assignee) == (
        WorkItem.Priority.URGENT,
        complaint.level_due_on,
        None,
    )
    assert "escalated to the supervisor" in item.title
    with pytest.raises(PermissionDenied):
        complaint_respond(complaint_id=complaint.pk, text="Sorry", by=billing)
    complaint_note(complaint_id=complaint.pk, text="Checked the reads: two actual", by=billing)
    complaint_escalate(
        complaint_id=complaint.pk, reason="Threatens to go to council", by=supervisor
    )
    complaint.refresh_from_db()
    assert complaint.level == Complaint.Level.ADMINISTRATOR
    assert complaint.level_due_on == add_working_days(today(), 5)
    with pytest.raises(PermissionDenied):
        complaint_respond(complaint_id=complaint.pk, text="Sorry", by=supervisor)
    with pytest.raises(ValidationError, match="goes no higher"):
        complaint_escalate(complaint_id=complaint.pk, reason="again", by=admin)
    kinds = [s.kind for s in complaint.steps.all()]
    assert kinds == ["opened", "escalated", "note", "escalated"]


def test_a_complaint_past_its_deadline_escalates_once(complaint):
    Complaint.objects.filter(pk=complaint.pk).update(level_due_on=today() - timedelta(days=1))
    assert complaints_escalate_overdue() == 1
    assert complaints_escalate_overdue() == 0
    complaint.refresh_from_db()
    assert complaint.level == Complaint.Level.SUPERVISOR
    step = complaint.steps.get(kind="escalated")
    assert step.by is None and "not resolved by its deadline" in step.text


def test_the_written_response_is_a_letter_and_closing_needs_it_and_a_root_cause(
    complaint, role_users
):
    billing = role_users[Role.BILLING]
    with pytest.raises(ValidationError, match="Send the written response"):
        complaint_close(
            complaint_id=complaint.pk, root_cause="meter", resolution="Re-read", by=billing
        )
    complaint_respond(
        complaint_id=complaint.pk,
        text="We re-read your meter on 12/02; the July read was right.",
        by=billing,
    )
    complaint.refresh_from_db()
    letter = Letter.objects.get(pk=complaint.response_letter_id)
    assert letter.kind == "general" and "re-read your meter" in letter.body
    assert complaint.status == Complaint.Status.RESPONDED
    with pytest.raises(ValidationError, match="already been sent"):
        complaint_respond(complaint_id=complaint.pk, text="Again", by=billing)
    with pytest.raises(ValidationError):
        complaint_close(complaint_id=complaint.pk, root_cause="", resolution="x", by=billing)
    complaint_close(
        complaint_id=complaint.pk,
        root_cause="understanding",
        resolution="Explained summer usage; offered an audit",
        by=billing,
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED and complaint.closed_by == billing
    item = _item(complaint)
    assert item.status == WorkItem.Status.CLOSED
    assert item.outcome == "Complaint closed: Customer misunderstanding"


def test_the_pages_record_act_and_show_the_hardest_cases(client_as, role_users):
    account = make_customer()
    client = client_as(Role.CLERK)
    response = client.post(
        reverse("staffing:complaint_new"),
        {
            "account_number": account.number,
            "channel": "call",
            "category": "collections",
            "description": "Shut off while on a payment plan",
        },
    )
    complaint = Complaint.objects.get()
    assert response["Location"] == complaint.get_absolute_url()
    assert _item(complaint).section == "credit"
    refused = client.post(
        reverse("staffing:complaint_act", args=[complaint.pk, "escalate"]), {"reason": "x"}
    )
    assert refused.status_code == 403  # the clerk level is Credit's
    credit = client_as(Role.CREDIT)
    url = reverse("staffing:complaint_act", args=[complaint.pk, "escalate"])
    assert credit.post(url, {"reason": ""}).status_code == 400
    assert credit.post(url, {"reason": "Asks for a supervisor"}).status_code == 302
    page = client_as(Role.SUPERVISOR).get(reverse("staffing:supervision")).content.decode()
    assert f"#{complaint.pk} Disconnection or collections" in page
    ems = client_as(Role.EMS)
    at_supervisor = ems.get(reverse("staffing:complaints"), {"level": "2"}).content.decode()
    at_clerk = ems.get(reverse("staffing:complaints"), {"level": "1"}).content.decode()
    assert complaint.get_absolute_url() in at_supervisor
    assert complaint.get_absolute_url() not in at_clerk
    bad = client.post(
        reverse("staffing:complaint_new"),
        {
            "account_number": "9999999999",
            "channel": "call",
            "category": "other",
            "description": "x",
        },
    )
    assert bad.status_code == 400 and "No account has this number" in bad.content.decode()


def test_a_complaints_work_item_closes_only_with_the_complaint(complaint, client_as, role_users):
    """Found in the supervisor's walkthrough: the item, closed from its own
    page, left the complaint open and out of every queue."""
    from staffing.services import work_item_close

    item = _item(complaint)
    with pytest.raises(ValidationError, match="closes when its complaint is closed"):
        work_item_close(item_id=item.pk, closed_by=role_users[Role.SUPERVISOR], outcome="Done")
    page = client_as(Role.SUPERVISOR).get(item.get_absolute_url()).content.decode()
    assert complaint.get_absolute_url() in page and "Close work item" not in page
    assert _item(complaint).status != WorkItem.Status.CLOSED

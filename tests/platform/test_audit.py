import re

import pytest
from django.urls import reverse
from pghistory.models import MiddlewareEvents

from mesa_cs.lib.roles import Role
from staffing.models import Section, WorkItem
from staffing.services import work_item_open

pytestmark = pytest.mark.django_db


def test_a_change_from_a_page_records_user_and_url(client_as, role_users):
    item = work_item_open(kind="dispute", section=Section.CREDIT, title="Dispute")
    client = client_as(Role.CREDIT)
    url = reverse("staffing:work_item_assign_to_me", args=[item.pk])
    client.post(url)
    update = MiddlewareEvents.objects.tracks(item).filter(pgh_label="update").get()
    assert update.pgh_context["username"] == "credit"
    assert update.pgh_context["user"] == role_users[Role.CREDIT].pk
    assert update.pgh_context["url"] == url
    assert update.pgh_diff["assignee_id"] == [None, role_users[Role.CREDIT].pk]


def test_supervisors_read_the_audit_trail(client_as):
    item = work_item_open(kind="dispute", section=Section.CREDIT, title="Dispute")
    client_as(Role.CREDIT).post(reverse("staffing:work_item_assign_to_me", args=[item.pk]))
    trail = reverse("audit_trail", args=["staffing", "workitem", item.pk])
    html = client_as(Role.SUPERVISOR).get(trail).content.decode()
    assert "Created" in html and "Changed" in html
    assert "credit" in html


def test_the_audit_trail_writes_names_labels_and_phoenix_times(client_as, role_users):
    item = work_item_open(kind="dispute", section=Section.CREDIT, title="Dispute")
    client_as(Role.CREDIT).post(reverse("staffing:work_item_assign_to_me", args=[item.pk]))
    WorkItem.objects.filter(pk=item.pk).update(status=WorkItem.Status.IN_PROGRESS)
    trail = reverse("audit_trail", args=["staffing", "workitem", item.pk])
    html = client_as(Role.SUPERVISOR).get(trail).content.decode()
    name = role_users[Role.CREDIT].get_full_name()
    assert f"<td>{name}<br>" in html  # who, by name, not the login
    assert f"<li>Assignee: — → {name}</li>" in html  # the field's label; a name, not an id
    assert "Open → In progress" in html  # the status's labels, not its codes
    assert re.search(r"\d\d/\d\d/\d{4} \d{1,2}:\d\d [AP]M", html)  # one moment format
    assert "+00:00" not in html


def test_audit_trail_survives_deletion_and_404s_for_unknown(client_as):
    item = work_item_open(kind="dispute", section=Section.CREDIT, title="Dispute")
    pk = item.pk
    WorkItem.objects.filter(pk=pk).delete()
    client = client_as(Role.SUPERVISOR)
    html = client.get(reverse("audit_trail", args=["staffing", "workitem", pk])).content.decode()
    assert "Deleted" in html
    assert client.get(reverse("audit_trail", args=["staffing", "nosuch", 1])).status_code == 404
    assert (
        client.get(reverse("audit_trail", args=["staffing", "workitem", 999999])).status_code == 404
    )

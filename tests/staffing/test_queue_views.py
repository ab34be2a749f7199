import csv
import io

import pytest
from django.urls import reverse

from mesa_cs.lib.roles import Role
from staffing.models import Section, WorkItem
from staffing.services import work_item_open
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def _item(title, section=Section.CREDIT, **kw):
    return work_item_open(kind=kw.pop("kind", "dispute"), section=section, title=title, **kw)


def test_queue_lists_open_items_of_its_section_only(client_as):
    _item("Dispute fee")
    _item("Other section", section=Section.BUSINESS_OFFICE, kind="suspense_payment")
    html = client_as(Role.CREDIT).get(reverse("staffing:queue", args=["credit"])).content.decode()
    assert "Dispute fee" in html
    assert "Other section" not in html


def test_queue_filters_by_account_and_assignment(client_as, role_users):
    account = AccountFactory()
    mine = _item("Mine", account=account)
    _item("Someone else's")
    client = client_as(Role.CREDIT)
    client.post(reverse("staffing:work_item_assign_to_me", args=[mine.pk]))
    url = reverse("staffing:queue", args=["credit"])
    html = client.get(url, {"assigned": "me"}).content.decode()
    assert "Mine" in html and "Someone else&#x27;s" not in html
    html = client.get(url, {"account": account.number}).content.decode()
    assert "Mine" in html and "Someone else" not in html


def test_htmx_requests_get_only_the_table(client_as):
    _item("Dispute fee")
    response = client_as(Role.CREDIT).get(
        reverse("staffing:queue", args=["credit"]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Dispute fee" in html
    assert "<html" not in html


def test_queue_exports_csv(client_as):
    _item("Dispute fee", priority=WorkItem.Priority.URGENT)
    response = client_as(Role.SUPERVISOR).get(
        reverse("staffing:queue", args=["credit"]), {"_export": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["#", "Title", "Kind"]
    assert rows[1][1:4] == ["Dispute fee", "Dispute", "Urgent"]  # the kind by name, not code


def test_unknown_section_is_404(client_as):
    assert client_as(Role.CLERK).get("/staffing/queues/nowhere/").status_code == 404


def test_assign_to_me_then_close_from_the_page(client_as, role_users):
    item = _item("Dispute fee")
    client = client_as(Role.CREDIT)
    client.post(reverse("staffing:work_item_assign_to_me", args=[item.pk]))
    item.refresh_from_db()
    assert item.assignee == role_users[Role.CREDIT]
    response = client.post(
        reverse("staffing:work_item_close", args=[item.pk]), {"outcome": "Fee waived"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_closed and item.outcome == "Fee waived"


def test_close_without_outcome_shows_the_field_error(client_as):
    item = _item("Dispute fee")
    response = client_as(Role.CREDIT).post(
        reverse("staffing:work_item_close", args=[item.pk]), {"outcome": ""}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    item.refresh_from_db()
    assert not item.is_closed


def test_account_page_lists_open_items(client_as):
    account = AccountFactory()
    _item("Call back about fee", account=account)
    client = client_as(Role.CLERK)
    page = client.get(account.get_absolute_url()).content.decode()
    assert "Work items <span" in page  # the tab shows a count badge
    html = client.get(account.get_absolute_url(), {"tab": "work-items"}).content.decode()
    assert "Call back about fee" in html


def test_note_and_history_show_on_the_item_page(client_as):
    item = _item("Dispute fee")
    client = client_as(Role.CREDIT)
    client.post(reverse("staffing:work_item_note", args=[item.pk]), {"text": "Left voicemail"})
    client.post(reverse("staffing:work_item_assign_to_me", args=[item.pk]))
    html = client.get(item.get_absolute_url()).content.decode()
    assert "Left voicemail" in html
    assert "credit" in html  # the history names who assigned it
    assert f"/staffing/work-items/{item.pk}/assign-to-me/" in html


def test_queue_exports_excel(client_as):
    _item("Dispute fee")
    response = client_as(Role.SUPERVISOR).get(
        reverse("staffing:queue", args=["credit"]), {"_export": "xlsx"}
    )
    assert response.content[:2] == b"PK"  # an xlsx is a zip

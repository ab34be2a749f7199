import re

import pytest
from playwright.sync_api import expect

from staffing.models import Section, WorkItem
from staffing.services import work_item_open
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_clerk_takes_and_closes_a_work_item_with_the_keyboard(
    role_users, live_server, page, console_errors
):
    item = work_item_open(
        kind="callback", section=Section.CONTACT_CENTER, title="Call back Mrs. Begay"
    )
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/staffing/queues/contact_center/")
    assert_page_is_accessible(page)
    page.get_by_role("button", name=re.compile(rf"^Assign to me ?, work item {item.pk}$")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("is now yours")

    page.get_by_role("link", name="Call back Mrs. Begay").click()
    page.get_by_label("Outcome").fill("Called back, start date confirmed")
    page.get_by_label("Outcome").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("closed")
    item.refresh_from_db()
    assert item.status == WorkItem.Status.CLOSED
    assert item.closed_by.username == "clerk"
    assert console_errors == []


def test_queue_filters_update_the_table_in_place(role_users, live_server, page, console_errors):
    work_item_open(kind="dispute", section=Section.CREDIT, title="Fee dispute")
    work_item_open(kind="pledge", section=Section.CREDIT, title="Pledge pending")
    sign_in(page, live_server, "credit")
    page.goto(f"{live_server.url}/staffing/queues/credit/")
    page.get_by_label("Title contains").fill("Fee")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name="Pledge pending")).to_have_count(0)
    expect(page.get_by_role("link", name="Fee dispute")).to_be_visible()
    assert "q=Fee" in page.url
    assert console_errors == []

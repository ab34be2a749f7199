"""A supervisor opens a section's dashboard from the Supervision page and
follows a figure to its list (issue 16 item 5). Screenshots in /tmp/dash/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from staffing.models import Section, WorkItem
from staffing.services import work_item_open
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/dash")


def test_a_supervisor_reads_a_sections_dashboard(role_users, live_server, page, console_errors):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for weeks_ago in (0, 1, 1, 3, 5, 12):
        item = work_item_open(kind="deposit_dispute", section=Section.CREDIT, title="Dispute")
        WorkItem.objects.filter(pk=item.pk).update(
            opened_at=timezone.now() - timedelta(weeks=weeks_ago)
        )
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/staffing/supervision/")
    page.get_by_role("link", name="Credit Services").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Credit Services dashboard")
    table = page.get_by_role("table", name="Today and this week")
    expect(table.get_by_role("row", name="Work items opened")).to_contain_text("1")
    expect(page.get_by_role("img", name="Work items opened, by week")).to_be_visible()
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "credit.png"), full_page=True)
    table.get_by_role("row", name="Work items opened").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Credit Services")
    assert console_errors == []

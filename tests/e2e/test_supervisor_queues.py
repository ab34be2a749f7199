"""The issue's journey (issue 16): a supervisor hands an item to a clerk by
name and checks the aging page; the clerk pulls "Next item" and closes it;
the supervisor samples the closed work and spot-checks it. Screenshots in
/tmp/queues/."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from staffing.models import Section, Skill, StaffProfile, WorkItem
from staffing.services import work_item_open
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/queues")


def test_a_supervisor_assigns_and_a_clerk_pulls_the_next_item(
    role_users, live_server, page, console_errors
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    clerk = role_users["Customer Service Clerk"]
    clerk.first_name, clerk.last_name = "Ana", "Ruiz"
    clerk.save()
    StaffProfile.objects.create(user=clerk, section=Section.CONTACT_CENTER).skills.set(
        Skill.objects.filter(code="spanish")
    )
    named = work_item_open(kind="callback", section=Section.CONTACT_CENTER, title="Call Mr. Lee")
    urgent = work_item_open(
        kind="callback",
        section=Section.CONTACT_CENTER,
        title="Call Mrs. Ortiz back",
        priority=WorkItem.Priority.URGENT,
    )

    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}{named.get_absolute_url()}")
    expect(page.get_by_text("Callback to a customer: due in 1 working day")).to_be_visible()
    assert_page_is_accessible(page)
    page.get_by_label("Assign to").select_option(label="Ana Ruiz")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("assigned to Ana Ruiz")
    page.screenshot(path=str(SHOTS / "assigned.png"), full_page=True)
    page.goto(f"{live_server.url}/staffing/supervision/")
    page.get_by_role("link", name="Aging and overdue work").click()
    by_queue = page.get_by_role("table", name="By queue")
    expect(by_queue.get_by_role("row", name="Contact Center")).to_contain_text("2")
    expect(page.get_by_role("table", name="By person (work in hand)")).to_contain_text("Ana Ruiz")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "aging.png"), full_page=True)

    page.context.clear_cookies()
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/staffing/")
    page.get_by_role("button", name="Next item").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Call Mrs. Ortiz back")
    page.get_by_label("Outcome").fill("Called back, payment plan explained")
    page.get_by_role("button", name="Close work item").click()
    expect(page.get_by_role("status")).to_contain_text("closed")
    page.screenshot(path=str(SHOTS / "closed.png"), full_page=True)
    urgent.refresh_from_db()
    assert (urgent.status, urgent.closed_by) == (WorkItem.Status.CLOSED, clerk)

    page.context.clear_cookies()
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/staffing/supervision/")
    page.get_by_role("link", name="Spot checks").click()
    page.get_by_label("Kind of work to sample").select_option("work_item")
    page.get_by_role("button", name="Draw a new sample").click()
    page.get_by_role("link", name=f"Check record {urgent.pk}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{urgent.pk}")
    expect(page.locator("main")).to_contain_text("Called back, payment plan explained")
    assert_page_is_accessible(page)
    page.get_by_label("Worked within its service level").check()
    page.get_by_label("The outcome says what was done and why").check()
    page.get_by_label("City policy and procedure were followed").check()
    page.get_by_label("Comment for the staff member").fill("Note the plan on the account next time")
    page.screenshot(path=str(SHOTS / "spot-check.png"), full_page=True)
    page.get_by_role("button", name="Record the spot check").click()
    expect(page.get_by_role("status")).to_contain_text("Spot check recorded: 60.00 %")
    expect(page.get_by_role("table").last).to_contain_text("Ana Ruiz")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "spot-checks.png"), full_page=True)
    assert console_errors == []

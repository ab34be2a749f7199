"""A complaint in the browser (issue 16 item 3): a Contact Center clerk
records a high-bill complaint from the account; Billing escalates it; the
supervisor finds it on the Supervision page, answers in writing and closes it
with the root cause. Screenshots in /tmp/complaint/."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Letter, LetterTemplate
from accounts.rules import letter_texts
from staffing.models import Complaint
from tests.accounts.test_letters import make_customer
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/complaint")


def test_a_complaint_is_recorded_escalated_answered_and_closed(
    role_users, live_server, page, console_errors
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    letter_texts.install_default_templates(LetterTemplate)
    account = make_customer()

    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/staffing/")
    page.get_by_role("link", name="Complaints").click()
    page.get_by_role("link", name="Record a complaint").click()
    page.get_by_label("Account number").fill(account.number)
    page.get_by_label("How it came in").select_option("call")
    page.get_by_label("Category").select_option("high_bill")
    page.get_by_label("What the customer complains of").fill(
        "July bill doubled; the house was empty all month"
    )
    assert_page_is_accessible(page)
    page.get_by_role("button", name="Record the complaint").click()
    expect(page.get_by_role("status")).to_contain_text("recorded")
    expect(page.locator("#complaint-status")).to_contain_text("Clerk level")
    # The clerk level is Billing's: the clerk may add to the trail only.
    expect(page.get_by_role("button", name="Send the response")).to_have_count(0)
    page.get_by_label("What you found").fill("Customer asks for a call back after 3 pm")
    page.get_by_role("button", name="Add to the trail").click()
    complaint = Complaint.objects.get()

    page.context.clear_cookies()
    sign_in(page, live_server, "billing")
    page.goto(f"{live_server.url}{complaint.get_absolute_url()}")
    page.get_by_label("Why it goes up a level").fill("Customer wants a supervisor")
    page.get_by_role("button", name="Escalate to the supervisor").click()
    expect(page.locator("#complaint-status")).to_contain_text("Supervisor level")

    page.context.clear_cookies()
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/staffing/supervision/")
    hardest = page.get_by_role(
        "region", name="Complaints escalated to supervisors and administrators"
    )
    hardest.get_by_role("link", name=f"#{complaint.pk} High bill").click()
    page.get_by_label("The written response").fill(
        "We re-read your meter on 12/02; the July read was right. We offer a free audit."
    )
    page.get_by_role("button", name="Send the response").click()
    expect(page.get_by_role("status")).to_contain_text("Response sent")
    page.get_by_label("Root cause").select_option("understanding")
    page.get_by_label("What was done").fill("Explained the irrigation use; audit booked")
    page.screenshot(path=str(SHOTS / "closing.png"), full_page=True)
    page.get_by_role("button", name="Close the complaint").click()
    expect(page.locator("#complaint-status")).to_contain_text("Closed")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "closed.png"), full_page=True)
    complaint.refresh_from_db()
    assert complaint.root_cause == "understanding"
    assert "re-read your meter" in Letter.objects.get(pk=complaint.response_letter_id).body
    assert console_errors == []

import re
from datetime import date
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from accounts.models import Contact, JournalEntry
from accounts.services import Charge, charges_post, payment_post
from tests.e2e.conftest import assert_page_is_accessible, sign_in
from tests.factories import AccountFactory, PersonFactory, agreement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def customer():
    person = PersonFactory(first_name="Maria", last_name="Gonzales")
    account = AccountFactory(name="Maria Gonzales")
    account.links.create(person=person, role="main")
    water = agreement(account)
    charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=date(2026, 10, 5),
        due_on=date(2026, 10, 26),
        description="Bill 09/03/2026–10/03/2026",
        charges=[Charge(D("88.20"), "water", "W1.1", water.pk)],
    )
    payment_post(account=account, amount=D("88.20"), effective_on=date(2026, 10, 20))
    return account


def test_a_clerk_finds_a_customer_and_works_the_account_by_keyboard(
    role_users, customer, live_server, page, console_errors
):
    sign_in(page, live_server, "clerk")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good")
    page.keyboard.press("/")
    page.keyboard.type("Gonzalez")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=customer.number)).to_be_visible()
    assert_page_is_accessible(page)
    page.get_by_role("link", name=customer.number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maria Gonzales")
    assert_page_is_accessible(page)

    page.get_by_role("link", name="History").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("cell", name="Bill 09/03/2026–10/03/2026")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?tab=history$"))

    page.get_by_role("link", name="Contacts and notes").click()
    page.get_by_label("Channel").select_option("call")
    page.get_by_label("Topic").select_option("payment")
    page.get_by_label("Notes").fill("Confirmed the October payment.")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("Confirmed the October payment.")).to_be_visible()
    assert Contact.objects.get().notes == "Confirmed the October payment."
    assert_page_is_accessible(page)
    assert console_errors == []


def test_live_search_updates_results_while_typing(role_users, customer, live_server, page):
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/accounts/")
    page.get_by_label(re.compile("Account number, name")).press_sequentially("Gonzal", delay=30)
    expect(page.get_by_role("link", name=customer.number)).to_be_visible()
    assert "q=Gonzal" in page.url


def test_a_card_number_typed_into_a_note_is_refused_beside_the_field(
    role_users, customer, live_server, page
):
    """The tab's forms post with htmx; a refusal (400) must be shown, not
    swallowed, and the number must not be echoed back or stored."""
    from accounts.models import AccountNote

    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/accounts/{customer.number}/?tab=contacts")
    note = page.locator('form[action$="/notes/"] textarea')
    note.fill("Paid by card 4111.1111.1111.1111 per customer")
    page.get_by_role("button", name="Save note").click()
    error = page.locator(".invalid-feedback, .text-danger").filter(has_text="card number")
    expect(error.first).to_be_visible()
    assert "4111.1111.1111.1111" not in page.content()
    assert not AccountNote.objects.filter(account=customer).exists()
    # The form works again: an ordinary note saves.
    note.fill("Customer will pay at the counter Friday.")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Customer will pay at the counter Friday.")).to_be_visible()

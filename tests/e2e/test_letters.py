import re

import pytest
from playwright.sync_api import expect

from accounts.models import Contact, Letter, LetterTemplate
from accounts.rules import letter_texts
from tests.e2e.conftest import assert_page_is_accessible, sign_in
from tests.factories import AccountFactory, PersonFactory, agreement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def templates():
    # Transactional tests start from empty tables: put the shipped wording back.
    letter_texts.install_default_templates(LetterTemplate)


@pytest.fixture
def customer():
    person = PersonFactory(first_name="Maria", last_name="Gonzales")
    account = AccountFactory(name="Maria Gonzales")
    account.links.create(person=person, role="main")
    agreement(account)
    return account


def test_a_supervisor_rewords_a_letter_with_a_live_preview(
    role_users, templates, live_server, page, console_errors
):
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/accounts/")
    page.get_by_role("link", name="Letter templates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Letter templates")
    assert_page_is_accessible(page)
    page.get_by_role("link", name="Edit General letter").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("General letter")
    expect(page.locator("#merge-fields")).to_contain_text("{{ message }}")
    assert_page_is_accessible(page)

    body = page.get_by_role("textbox", name="Body*", exact=True)
    body.fill("Hello {{ customer_name }},\n\n{{ message }}\n\nWe are glad to help.")
    expect(page.locator("#preview-body")).to_contain_text("Hello Maria Gonzales,")
    expect(page.locator("#preview-body")).to_contain_text("We are glad to help.")

    body.fill("{{ message }} {{ refund_amount }}")
    expect(page.locator("#letter-preview")).to_contain_text("Not a merge field of this letter")
    page.get_by_role("button", name="Save template").click()
    expect(page.locator("#id_body").locator("xpath=..")).to_contain_text("refund_amount")
    assert "{{ refund_amount }}" not in LetterTemplate.objects.get(kind="general").body
    # The refused form comes back as a 400, which Chromium reports; nothing else may.
    assert [e for e in console_errors if "status of 400" not in e] == []
    console_errors.clear()

    page.get_by_role("textbox", name="Body*", exact=True).fill(
        "Hello {{ customer_name }},\n\n{{ message }}"
    )
    page.get_by_role("textbox", name="Subject*", exact=True).fill(
        "A note about account {{ account_number }}"
    )
    # The Spanish wording, previewed in Spanish beside the English.
    page.get_by_label("Body (Spanish)").fill("Hola {{ customer_name }}:\n\nHoy es {{ today }}.")
    expect(page.locator("#preview-body-es")).to_contain_text("Hola Maria Gonzales:")
    expect(page.locator("#preview-body-es")).to_contain_text(" de 20")
    expect(page.locator("#preview-body-es")).to_contain_text("Atentamente,")
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_role("status")).to_contain_text("General letter saved")
    template = LetterTemplate.objects.get(kind="general")
    assert template.body == "Hello {{ customer_name }},\n\n{{ message }}"
    assert template.body_es == "Hola {{ customer_name }}:\n\nHoy es {{ today }}."
    assert template.updated_by.username == "supervisor"
    assert console_errors == []


def test_a_clerk_sends_a_general_letter_from_the_account(
    role_users, templates, customer, live_server, page, console_errors
):
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}{customer.get_absolute_url()}?tab=contacts")
    expect(page.get_by_role("link", name="Letter templates")).to_have_count(0)
    page.get_by_role("link", name="Send a letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send a letter to Maria Gonzales")
    expect(page.get_by_text("printed and mailed to 1425 E University Dr")).to_be_visible()
    assert_page_is_accessible(page)
    page.get_by_label("Letter").select_option("general")
    page.get_by_label("Message").fill("Your new water meter was installed on Monday.")
    page.get_by_role("button", name="Send letter").click()

    expect(page).to_have_url(re.compile(r"\?tab=contacts$"))
    expect(page.get_by_role("status")).to_contain_text("Letter sent (to be mailed)")
    subject = f"About your utility account {customer.number}"
    expect(page.get_by_text(f"Letter sent: {subject}")).to_be_visible()
    pdf_link = page.get_by_role("link", name=re.compile(subject))
    expect(pdf_link).to_have_attribute("href", re.compile(r"/letters/\d+\.pdf$"))
    assert_page_is_accessible(page)

    letter = Letter.objects.get()
    assert letter.created_by.username == "clerk"
    assert "Your new water meter was installed on Monday." in letter.body
    assert Contact.objects.get().channel == Contact.Channel.LETTER
    response = page.request.get(f"{live_server.url}{letter.get_absolute_url()}")
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert console_errors == []

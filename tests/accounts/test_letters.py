import subprocess
from datetime import date
from decimal import Decimal as D
from smtplib import SMTPException

import pytest
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from accounts.models import Contact, JournalEntry, Letter, LetterTemplate
from accounts.rules import letter_texts
from accounts.services import Charge, charges_post
from accounts.services.letters import (
    letter_email_send,
    letter_pdf,
    letter_send,
    letter_template_update,
)
from accounts.tasks import letter_email
from mesa_cs.celery import app as celery_app
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory, PersonFactory, UserFactory, agreement

pytestmark = pytest.mark.django_db

TODAY = letter_texts.letter_date(timezone.localdate())


@pytest.fixture(autouse=True)
def templates():
    # Browser tests elsewhere empty every table, migration rows included.
    letter_texts.install_default_templates(LetterTemplate)
    return {t.kind: t for t in LetterTemplate.objects.all()}


@pytest.fixture
def eager_tasks():
    """Queued tasks run in the test instead of on a broker."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def make_customer(email="", mailing=None):
    person = PersonFactory(first_name="Nora", last_name="Begay", email=email, **(mailing or {}))
    account = AccountFactory(name="Nora Begay")
    account.links.create(person=person, role="main")
    water = agreement(account)
    charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=date(2026, 9, 5),
        due_on=date(2026, 9, 26),
        description="Bill 08/04/2026–09/03/2026",
        charges=[Charge(D("1061.40"), "water", "W1.1", water.pk)],
    )
    return account


@pytest.fixture
def customer():
    return make_customer()


@pytest.fixture
def emailed_customer():
    return make_customer(email="nora.begay@example.com")


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


WELCOME = {
    "start_date": "March 2, 2026",
    "services": "Water",
    "fees_total": letter_texts.letter_money(D("20")),
    "deposit_amount": letter_texts.letter_money(D("50")),
}


def test_a_letter_is_filled_from_the_account_and_the_values_its_flow_gives(customer):
    letter = letter_send(account=customer, kind="welcome", merge=WELCOME)
    assert letter.subject == "Welcome to City of Mesa Utilities"
    assert letter.body.startswith("Dear Nora Begay,\n\n")
    for text in (
        customer.number,
        "1425 E University Dr, Mesa, AZ 85203",
        "March 2, 2026",
        "Connection fees: $20.00",
        "Deposit: $50.00",
        "Services: Water",
    ):
        assert text in letter.body
    assert "{{" not in letter.body
    # No mailing address of their own: mail goes to the service address.
    assert letter.address == "1425 E University Dr\nMesa, AZ 85203"
    assert letter.recipient == "Nora Begay"


def test_common_fields_today_and_balance_come_from_the_ledger(customer, templates):
    letter_template_update(
        template_id=templates["general"].pk,
        subject="Balance {{ balance }}",
        body="On {{ today }} you owe {{ balance }}.\n\n{{ message }}",
        updated_by=None,
    )
    letter = letter_send(account=customer, kind="general", merge={"message": "Thanks."})
    assert letter.subject == "Balance $1,061.40"
    assert letter.body == f"On {TODAY} you owe $1,061.40.\n\nThanks."


def test_a_credit_balance_reads_as_a_credit():
    assert letter_texts.letter_balance(D("-12.5")) == "$12.50 credit"
    assert letter_texts.letter_money(D("1234.5")) == "$1,234.50"
    assert letter_texts.letter_date(date(2026, 3, 5)) == "March 5, 2026"


def test_the_mailing_address_of_the_main_customer_is_used_when_there_is_one():
    account = make_customer(
        mailing={
            "mailing_line1": "PO Box 2210",
            "mailing_city": "Mesa",
            "mailing_state": "AZ",
            "mailing_zip": "85214",
        }
    )
    letter = letter_send(
        account=account,
        kind="final_bill",
        merge={
            "final_bill_amount": "$63.75",
            "deposit_applied": "$50.00",
            "due_date": "March 23, 2026",
            "stop_date": "February 27, 2026",
        },
    )
    assert letter.address == "PO Box 2210\nMesa, AZ 85214"
    assert "the refund is mailed to PO Box 2210, Mesa, AZ 85214" in letter.body
    assert "Your utility service at 1425 E University Dr, Mesa, AZ 85203 stopped" in letter.body


def test_what_is_merged_in_is_never_read_again_for_fields(customer):
    letter = letter_send(
        account=customer,
        kind="general",
        merge={"message": "Please ignore {{ balance }} and {% debug %} {{ settings.SECRET_KEY }}."},
    )
    assert "Please ignore {{ balance }} and {% debug %} {{ settings.SECRET_KEY }}." in letter.body


def test_a_template_naming_a_field_its_kind_lacks_is_refused_by_name(templates, role_users):
    welcome = templates["welcome"]
    with pytest.raises(ValidationError) as refused:
        letter_template_update(
            template_id=welcome.pk,
            subject="Hello {{ customer_name }}",
            body="Your refund of {{ refund_amount }} and {{ customer-name }} {{ user.password }}",
            updated_by=role_users[Role.SUPERVISOR],
        )
    message = str(refused.value.message_dict["body"])
    assert "refund_amount" in message and "customer-name" in message
    assert "user.password" in message
    assert "subject" not in refused.value.message_dict
    welcome.refresh_from_db()
    assert welcome.body == letter_texts.DEFAULT_TEMPLATES["welcome"][2]


def test_a_supervisor_rewords_a_template_and_is_recorded(templates, role_users):
    supervisor = role_users[Role.SUPERVISOR]
    template = letter_template_update(
        template_id=templates["deposit_refund"].pk,
        subject="  Refund for {{ account_number }} ",
        body="Dear {{ customer_name }},\r\n\r\n{{ refund_amount }} by {{ refund_method }}.",
        updated_by=supervisor,
    )
    template.refresh_from_db()
    assert template.subject == "Refund for {{ account_number }}"
    assert (
        template.body == "Dear {{ customer_name }},\n\n{{ refund_amount }} by {{ refund_method }}."
    )
    assert template.updated_by == supervisor
    assert (timezone.now() - template.updated_at).total_seconds() < 60


def test_the_shipped_wording_uses_only_allowed_fields():
    assert set(letter_texts.DEFAULT_TEMPLATES) == set(LetterTemplate.Kind.values)
    for kind, (_name, subject, body) in letter_texts.DEFAULT_TEMPLATES.items():
        assert letter_texts.unknown_fields(kind, subject, body) == [], kind
        assert letter_texts.letterhead_for(kind)[2] in body  # the sender's phone
        assert set(letter_texts.fields_used(body)) >= set(letter_texts.KIND_FIELDS[kind]), kind


def test_a_flow_must_give_the_values_its_letter_needs(customer):
    with pytest.raises(ValidationError, match="needs a value for: deposit_reason, due_date"):
        letter_send(account=customer, kind="deposit_required", merge={"deposit_amount": "$50.00"})
    with pytest.raises(ValidationError, match="refund_amount"):
        letter_send(account=customer, kind="general", merge={"message": "x", "refund_amount": "1"})
    with pytest.raises(ValidationError, match="customer_name"):
        letter_send(account=customer, kind="general", merge={"message": "x", "customer_name": "Y"})
    assert not Letter.objects.exists() and not Contact.objects.exists()


def test_a_letter_not_in_use_is_refused(customer, templates):
    LetterTemplate.objects.filter(kind="general").update(active=False)
    with pytest.raises(ValidationError, match="not in use"):
        letter_send(account=customer, kind="general", merge={"message": "Hello"})
    with pytest.raises(ValidationError, match="There is no 'reminder' letter"):
        letter_send(account=customer, kind="reminder")
    assert not Letter.objects.exists()


def test_a_paper_letter_is_logged_in_the_contact_history_and_not_emailed(
    customer, role_users, mailoutbox, django_capture_on_commit_callbacks
):
    clerk = role_users[Role.CLERK]
    with django_capture_on_commit_callbacks() as queued:
        letter = letter_send(
            account=customer, kind="general", merge={"message": "Hello"}, sent_by=clerk
        )
    assert queued == []
    contact = Contact.objects.get(account=customer)
    assert letter.contact == contact
    assert contact.channel == Contact.Channel.LETTER
    assert contact.topic == Contact.Topic.OTHER
    assert contact.notes == f"Letter sent: About your utility account {customer.number}"
    assert contact.created_by == clerk
    assert contact.person == customer.links.get().person
    assert letter.emailed_to == "" and letter.emailed_at is None
    assert mailoutbox == []


def test_the_flows_letters_are_logged_under_their_own_topic_not_bill_question(customer):
    from accounts.models import Deposit
    from accounts.services.letters_flow import deposit_refund_letter, start_letters

    deposit = Deposit.objects.create(
        account=customer, amount=D("50.00"), required_on=date(2026, 3, 2), reason="no history"
    )
    start_letters(
        account=customer, agreements=[customer.agreements.get()], fees=D("31"), deposit=deposit
    )
    deposit_refund_letter(account=customer, amount=D("50.00"), release_key="r1")
    letter_send(account=customer, kind="general", merge={"message": "Hello"})
    topics = {letter.kind: letter.contact.topic for letter in Letter.objects.all()}
    assert topics == {
        "welcome": Contact.Topic.AUTOMATIC_LETTER,
        "deposit_required": Contact.Topic.AUTOMATIC_LETTER,
        "deposit_refund": Contact.Topic.AUTOMATIC_LETTER,
        "general": Contact.Topic.OTHER,
    }
    assert Contact.Topic.AUTOMATIC_LETTER.label == "Automatic letter"


def test_a_clerk_logging_a_conversation_is_not_offered_the_automatic_letter_topic():
    from accounts.forms.accounts import ContactForm

    offered = [value for value, _ in ContactForm().fields["topic"].choices]
    assert "billing" in offered and Contact.Topic.AUTOMATIC_LETTER not in offered
    refused = ContactForm({"channel": "call", "topic": "letter", "notes": "Called"})
    assert not refused.is_valid() and "topic" in refused.errors


def test_the_migration_moves_letters_already_logged_to_their_own_topic(customer):
    import importlib

    from django.apps import apps

    letter = letter_send(account=customer, kind="welcome", merge=WELCOME)
    general = letter_send(account=customer, kind="general", merge={"message": "Hello"})
    Contact.objects.filter(pk=letter.contact_id).update(topic="start_stop")
    migration = importlib.import_module("accounts.migrations.0020_automatic_letters_own_topic")
    migration.automatic_letters_own_topic(apps, None)
    assert Contact.objects.get(pk=letter.contact_id).topic == "letter"
    assert Contact.objects.get(pk=general.contact_id).topic == "other"


def test_a_customer_with_an_email_address_gets_it_by_email_with_the_pdf(
    emailed_customer, mailoutbox, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        letter = letter_send(account=emailed_customer, kind="welcome", merge=WELCOME)
        assert mailoutbox == []  # nothing leaves before the letter is committed
    assert len(queued) == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["nora.begay@example.com"]
    assert mail.subject == "Welcome to City of Mesa Utilities"
    assert "Dear Nora Begay," in mail.body and "City of Mesa Utilities" in mail.body
    (filename, content, mimetype) = mail.attachments[0]
    assert filename == f"letter-{emailed_customer.number}-{letter.pk}.pdf"
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    assert "Dear Nora Begay," in pdf_text(content)
    letter.refresh_from_db()
    assert letter.emailed_to == "nora.begay@example.com"
    assert letter.emailed_at is not None
    assert Contact.objects.get().channel == Contact.Channel.EMAIL


def test_the_email_task_run_twice_sends_once(
    emailed_customer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        letter = letter_send(account=emailed_customer, kind="general", merge={"message": "Hi"})
    assert letter_email(letter.pk) is True
    assert letter_email(letter.pk) is False
    assert len(mailoutbox) == 1


def test_a_failed_send_gives_the_claim_back_for_the_retry(
    emailed_customer, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        letter = letter_send(account=emailed_customer, kind="general", merge={"message": "Hi"})

    def refuse(self, fail_silently=False):
        raise SMTPException("mail server down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with pytest.raises(SMTPException):
        letter_email_send(letter_id=letter.pk)
    letter.refresh_from_db()
    assert letter.emailed_at is None
    monkeypatch.undo()
    assert letter_email_send(letter_id=letter.pk) is True
    assert len(mailoutbox) == 1


def test_the_same_source_key_sends_one_letter(
    emailed_customer, mailoutbox, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        first = letter_send(
            account=emailed_customer, kind="welcome", merge=WELCOME, source_key="start:17"
        )
        again = letter_send(
            account=emailed_customer, kind="welcome", merge=WELCOME, source_key="start:17"
        )
    assert again == first
    assert len(queued) == 1 and len(mailoutbox) == 1
    assert Letter.objects.count() == 1 and Contact.objects.count() == 1
    # Blank keys are not a key: two letters.
    letter_send(account=emailed_customer, kind="general", merge={"message": "a"})
    letter_send(account=emailed_customer, kind="general", merge={"message": "a"})
    assert Letter.objects.count() == 3


def test_the_pdf_carries_the_letterhead_address_text_and_signature(customer):
    letter = letter_send(
        account=customer, kind="general", merge={"message": "Your meter was read on time."}
    )
    pdf = letter_pdf(letter)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in (
        "City of Mesa Utilities",
        "55 N Center St, Mesa AZ 85201",
        "480-644-2221",
        TODAY,
        "Nora Begay",
        "1425 E University Dr",
        "Mesa, AZ 85203",
        f"About your utility account {customer.number}",
        "Your meter was read on time.",
        "Customer Service",
    ):
        assert expected in text, expected


# Pages


def test_only_supervisors_and_administrators_edit_templates(client_as, templates):
    edit = reverse("accounts:letter_template_edit", args=[templates["welcome"].pk])
    for role in (Role.CLERK, Role.BILLING, Role.CASHIER):
        client = client_as(role)
        assert client.get(reverse("accounts:letter_templates")).status_code == 403
        assert client.post(edit, {"subject": "x", "body": "y"}).status_code == 403
    client = client_as(Role.SUPERVISOR)
    listing = client.get(reverse("accounts:letter_templates")).content.decode()
    assert "Welcome letter" in listing and edit in listing
    assert (
        reverse("accounts:letter_templates")
        in client.get(reverse("accounts:index")).content.decode()
    )
    assert reverse("accounts:letter_templates") not in (
        client_as(Role.CLERK).get(reverse("accounts:index")).content.decode()
    )


def test_the_editor_lists_the_fields_and_saves(client_as, templates, role_users):
    client = client_as(Role.SUPERVISOR)
    template = templates["deposit_required"]
    url = reverse("accounts:letter_template_edit", args=[template.pk])
    page = client.get(url).content.decode()
    for name in ("customer_name", "balance", "deposit_amount", "deposit_reason", "due_date"):
        assert "{{ " + name + " }}" in page
    assert "{{ refund_amount }}" not in page
    assert "No payment history with the City" in page  # the preview, filled with samples
    response = client.post(url, {"subject": "Deposit", "body": "Pay {{ deposit_amount }}."})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.body == "Pay {{ deposit_amount }}."
    assert template.updated_by == role_users[Role.SUPERVISOR]


def test_the_editor_refuses_an_unknown_field_and_names_it(client_as, templates):
    client = client_as(Role.ADMINISTRATOR)
    template = templates["general"]
    url = reverse("accounts:letter_template_edit", args=[template.pk])
    response = client.post(url, {"subject": "Hi", "body": "{{ message }} {{ final_bill_amount }}"})
    assert response.status_code == 400
    assert "final_bill_amount" in response.content.decode()
    template.refresh_from_db()
    assert template.body == letter_texts.DEFAULT_TEMPLATES["general"][2]


def test_the_live_preview_fills_sample_values(client_as, templates):
    client = client_as(Role.SUPERVISOR)
    url = reverse("accounts:letter_template_preview", args=[templates["general"].pk])
    html = client.post(
        url,
        {"subject": "For {{ customer_name }}", "body": "{{ message }}\n\n{{ nope }}"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<html" not in html
    assert "For Maria Gonzales" in html
    assert letter_texts.SAMPLE_VALUES["message"] in html
    assert "Not a merge field of this letter: nope" in html


def test_a_clerk_sends_a_general_letter_once_and_sees_it_on_the_contacts_tab(
    client_as, customer, role_users
):
    client = client_as(Role.CLERK)
    url = reverse("accounts:letter_new", args=[customer.number])
    form = client.get(url)
    assert form.status_code == 200
    key = form.context["form"].initial["key"]
    data = {"key": key, "kind": "general", "message": "Your new meter is installed."}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"{customer.get_absolute_url()}?tab=contacts"
    assert client.post(url, data).status_code == 302  # the back button and submit again
    letter = Letter.objects.get()
    assert letter.created_by == role_users[Role.CLERK]
    assert "Your new meter is installed." in letter.body
    tab = client.get(reverse("accounts:tab", args=[customer.number, "contacts"])).content.decode()
    pdf_url = reverse("accounts:letter_pdf", args=[customer.number, letter.pk])
    assert pdf_url in tab and letter.subject in tab and url in tab
    pdf = client_as(Role.CASHIER).get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf"
    assert "Your new meter is installed." in pdf_text(pdf.content)


def test_a_clerk_must_write_a_message_and_only_general_letters_are_offered(client_as, customer):
    client = client_as(Role.CLERK)
    url = reverse("accounts:letter_new", args=[customer.number])
    page = client.get(url).content.decode()
    assert 'value="general"' in page and 'value="welcome"' not in page
    response = client.post(url, {"key": "k1", "kind": "welcome", "message": ""})
    assert response.status_code == 400
    assert not Letter.objects.exists()


def test_read_only_roles_cannot_send_letters(client_as, customer):
    url = reverse("accounts:letter_new", args=[customer.number])
    for role in (Role.CASHIER, Role.ALARMS, Role.EMS):
        assert client_as(role).get(url).status_code == 403
    tab = client_as(Role.CASHIER).get(reverse("accounts:tab", args=[customer.number, "contacts"]))
    assert url not in tab.content.decode()


def test_a_letter_pdf_of_another_account_is_not_found(client_as, customer):
    letter = letter_send(account=customer, kind="general", merge={"message": "Hello"})
    other = AccountFactory()
    url = reverse("accounts:letter_pdf", args=[other.number, letter.pk])
    assert client_as(Role.CLERK).get(url).status_code == 404


def test_letters_are_audited(customer):
    letter = letter_send(
        account=customer, kind="general", merge={"message": "Hi"}, sent_by=UserFactory()
    )
    assert letter.events.count() == 1


def test_the_days_paper_letters_print_as_one_file(client_as, customer):
    from accounts.services.letters import paper_letters

    emailed_customer = AccountFactory()
    emailed_customer.links.create(person=PersonFactory(email="pat@example.com"), role="main")
    for account in (customer, emailed_customer):
        letter_send(account=account, kind="general", merge={"message": "Your meter moves Tuesday."})
    today = timezone.localdate()
    assert [letter.account for letter in paper_letters(today)] == [customer]
    response = client_as("Customer Service Clerk").get(
        reverse("accounts:letters_print_file"), {"day": today.isoformat()}
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert customer.number in text and emailed_customer.number not in text
    assert "Your meter moves Tuesday." in text
    nothing = client_as("Customer Service Clerk").get(
        reverse("accounts:letters_print_file"), {"day": "2020-01-01"}, follow=True
    )
    assert "No letters to mail for 01/01/2020." in nothing.content.decode()

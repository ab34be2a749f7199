import json
import re
from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import AccountFlag, Contact, JournalEntry
from accounts.services import Charge, account_flag_set, charges_post, payment_post
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory, PersonFactory, agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    person = PersonFactory(first_name="Nora", last_name="Begay", id_type="dl", id_last4="4321")
    account = AccountFactory(name="Nora Begay")
    account.links.create(person=person, role="main")
    water = agreement(account)
    charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=date(2026, 9, 5),
        due_on=date(2026, 9, 26),
        description="Bill 08/04/2026–09/03/2026",
        charges=[Charge(D("61.40"), "water", "W1.1", water.pk)],
    )
    payment_post(account=account, amount=D("20.00"), effective_on=date(2026, 9, 20))
    account_flag_set(
        account=account,
        kind=AccountFlag.Kind.CERTIFIED_FUNDS_ONLY,
        starts_on=date(2026, 1, 1),
        reason="Returned check",
    )
    return account


def test_the_header_tells_the_whole_story(client_as, story):
    html = client_as(Role.CLERK).get(story.get_absolute_url()).content.decode()
    assert "Nora Begay" in html and story.number in html
    assert "1425 E University Dr" in html
    assert "41.40" in html  # balance and past due
    assert "Certified funds only" in html
    assert "···4321" in html and "SSN" not in html
    assert "Connected" in html


def test_the_header_says_which_services_still_wait_to_be_turned_on(client_as):
    account = AccountFactory(name="Ada Tso")
    home = agreement(account, status="pending")
    agreement(account, "solid_waste", "SW1.1", premise_obj=home.premise, status="pending")
    html = client_as(Role.CLERK).get(account.get_absolute_url()).content.decode()
    assert ">Pending</span>" in html and ">Active</span>" not in html
    assert "Pending turn-on: Solid waste, Water" in html
    assert "Connected" not in html

    home.status = "active"
    home.save(update_fields=["status"])
    html = client_as(Role.CLERK).get(account.get_absolute_url()).content.decode()
    assert ">Active</span>" in html and "Connected" in html
    assert (
        "Pending turn-on: Solid" in html and "Water" not in html.split("Pending turn-on:")[1][:20]
    )


def test_history_tab_shows_running_balance_and_filters(client_as, story):
    client = client_as(Role.CLERK)
    url = reverse("accounts:tab", args=[story.number, "history"])
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html
    assert "$61.40" in html and "\u2212$20.00" in html and "$41.40" in html
    only_payments = client.get(url, {"kind": "payment"}).content.decode()
    assert "\u2212$20.00" in only_payments and "Bill 08/04/2026" not in only_payments
    csv = client.get(reverse("accounts:history_export", args=[story.number])).content.decode()
    assert csv.splitlines()[0] == "Date,Kind,Description,Amount,Balance,Reversed"
    assert csv.splitlines()[-1].endswith(",-20.00,41.40,")


def test_contacts_are_logged_from_the_page_and_bad_input_names_the_field(client_as, story):
    client = client_as(Role.CLERK)
    url = reverse("accounts:contact_add", args=[story.number])
    bad = client.post(
        url, {"channel": "call", "topic": "billing", "notes": ""}, HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 400
    assert "This field is required" in bad.content.decode()
    assert not Contact.objects.exists()
    ok = client.post(
        url,
        {
            "channel": "call",
            "topic": "billing",
            "notes": "Explained the bill",
            "follow_up_on": "2026-12-01",
        },
        HTTP_HX_REQUEST="true",
    )
    assert ok.status_code == 200
    assert "Explained the bill" in ok.content.decode()
    contact = Contact.objects.get()
    assert contact.created_by.username == "clerk" and contact.account == story


def test_statement_pdf_is_a_real_pdf(client_as, story):
    response = client_as(Role.CLERK).get(reverse("accounts:statement_pdf", args=[story.number]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 2000


def test_the_statement_pdf_is_in_the_customers_language(client_as, story):
    from tests.accounts.test_letters import pdf_text

    url = reverse("accounts:statement_pdf", args=[story.number])
    english = pdf_text(client_as(Role.CLERK).get(url).content)
    assert "Account statement" in english and "Amount due" in english and "Bill" in english
    assert "$41.40" in english
    person = story.links.get().person
    person.preferred_language = "es"
    person.save(update_fields=["preferred_language"])
    spanish = pdf_text(client_as(Role.CLERK).get(url).content)
    assert "Estado de cuenta" in spanish and "Account statement" not in spanish
    assert "Importe a pagar" in spanish and "Devuelva esta parte con su pago." in spanish
    assert "Factura" in spanish and "Pago" in spanish and "Página 1 de 1" in spanish
    assert re.search(r"\d{1,2} de [a-z]+ de \d{4}", spanish)


def test_account_statement_command_prints_json(story):
    out = StringIO()
    call_command("account_statement", story.number, "--json", stdout=out)
    statement = json.loads(out.getvalue())
    assert statement["account"] == story.number
    assert statement["balance"] == "41.40"
    assert statement["past_due"] == "41.40"
    assert [(e["kind"], e["amount"]) for e in statement["entries"]] == [
        ("bill", "61.40"),
        ("payment", "-20.00"),
    ]
    assert statement["entries"][0]["date"] == "2026-09-05"


def test_account_statement_refuses_unknown_and_mistyped_numbers(story):
    with pytest.raises(CommandError, match="no account"):
        call_command("account_statement", AccountFactory.build().number, "--json")
    wrong = story.number[:-1] + str((int(story.number[-1]) + 1) % 10)
    with pytest.raises(CommandError, match="check digit"):
        call_command("account_statement", wrong, "--json")


def test_the_header_says_which_services_are_being_stopped(client_as):
    from accounts.models import FieldActivity

    account = AccountFactory(name="Ada Tso")
    water = agreement(account, status="active")
    FieldActivity.objects.create(
        kind=FieldActivity.Kind.FINAL_READ,
        account=account,
        premise=water.premise,
        agreement=water,
        scheduled_on=date(2026, 12, 4),
    )
    html = client_as(Role.CLERK).get(account.get_absolute_url()).content.decode()
    assert "Stop ordered: Water 12/04/2026" in html
    water.status = "final"
    water.save(update_fields=["status"])
    html = client_as(Role.CLERK).get(account.get_absolute_url()).content.decode()
    assert "Stop ordered" not in html

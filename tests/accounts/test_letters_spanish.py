"""Letters in Spanish for customers who prefer it (docs/letters.md)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Contact, Deposit, Letter, LetterTemplate, Person
from accounts.rules import letter_texts
from accounts.services.letters import (
    letter_email_send,
    letter_pdf,
    letter_send,
    letter_template_update,
)
from accounts.services.letters_flow import deposit_refund_letter, start_letters
from mesa_cs.lib.roles import Role
from tests.accounts.test_letters import make_customer, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def templates():
    letter_texts.install_default_templates(LetterTemplate)
    return {t.kind: t for t in LetterTemplate.objects.all()}


def spanish(account):
    person = account.links.get().person
    person.preferred_language = "es"
    person.save(update_fields=["preferred_language"])
    return account


@pytest.fixture
def cliente():
    return spanish(make_customer())


FINAL = {
    "final_bill_amount": D("63.75"),
    "deposit_applied": D("50.00"),
    "due_date": date(2026, 3, 23),
    "stop_date": date(2026, 2, 27),
}


def test_dates_amounts_and_credits_read_in_spanish():
    assert letter_texts.letter_date(date(2026, 3, 5), "es") == "5 de marzo de 2026"
    assert letter_texts.letter_date(date(2026, 12, 31), "es") == "31 de diciembre de 2026"
    assert letter_texts.letter_balance(D("-12.5"), "es") == "$12.50 a su favor"
    assert letter_texts.letter_balance(D("12.5"), "es") == "$12.50"


def test_a_customer_who_prefers_spanish_gets_the_spanish_wording(cliente):
    letter = letter_send(account=cliente, kind="final_bill", merge=FINAL)
    assert letter.language == "es"
    assert letter.subject == f"Factura final de la cuenta {cliente.number}"
    assert letter.body.startswith("Estimado(a) Nora Begay:\n\n")
    for text in (
        "terminó el 27 de febrero de 2026",
        "Monto de la factura final: $63.75",
        "Depósito aplicado: $50.00",
        "Saldo de la cuenta hoy: $1,061.40",
        "Pague a más tardar el: 23 de marzo de 2026",
    ):
        assert text in letter.body, text
    assert "{{" not in letter.body
    assert Contact.objects.get().notes == f"Letter sent in Spanish: {letter.subject}"


def test_the_same_values_read_in_english_for_everyone_else():
    letter = letter_send(account=make_customer(), kind="final_bill", merge=FINAL)
    assert letter.language == "en"
    assert "stopped on February 27, 2026" in letter.body
    assert "Please pay by: March 23, 2026" in letter.body
    assert "Final bill amount: $63.75" in letter.body


def test_a_template_without_spanish_wording_sends_english(cliente, templates):
    LetterTemplate.objects.filter(kind="general").update(subject_es="", body_es="")
    letter = letter_send(account=cliente, kind="general", merge={"message": "Hello"})
    assert letter.language == "en"
    assert letter.subject == f"About your utility account {cliente.number}"


def test_wording_per_language_is_chosen_and_other_values_are_refused(cliente):
    letter = letter_send(
        account=cliente, kind="general", merge={"message": {"en": "Hello", "es": "Hola"}}
    )
    assert "\n\nHola\n\n" in letter.body
    with pytest.raises(ValidationError, match="merge value for message"):
        letter_send(account=cliente, kind="general", merge={"message": 12})
    assert Letter.objects.count() == 1


def test_the_flows_letters_follow_the_customers_language(cliente):
    deposit = Deposit.objects.create(
        account=cliente,
        amount=D("50.00"),
        required_on=date(2026, 3, 2),
        reason="a returned payment in the last 12 months; "
        "no 12-month payment history with the City",
    )
    water = cliente.agreements.get()
    start_letters(account=cliente, agreements=[water], fees=D("31.00"), deposit=deposit)
    welcome = Letter.objects.get(kind="welcome")
    assert welcome.language == "es"
    assert "Servicios: agua" in welcome.body
    assert "Cargos de conexión: $31.00" in welcome.body
    required = Letter.objects.get(kind="deposit_required")
    assert (
        "Motivo: un pago devuelto en los últimos 12 meses; "
        "no tiene 12 meses de historial de pagos con la Ciudad"
    ) in required.body
    deposit_refund_letter(account=cliente, amount=D("50.00"), release_key="r1")
    refund = Letter.objects.get(kind="deposit_refund")
    assert "Forma de reembolso: acreditado a su cuenta" in refund.body


def test_a_deposit_reason_typed_by_hand_stays_as_written():
    assert letter_texts.deposit_reason_wording("special case") == {
        "en": "special case",
        "es": "special case",
    }
    assert letter_texts.deposit_reason_wording(
        "commercial accounts pay 2.5 × the estimated highest monthly bill"
    )["es"] == ("las cuentas comerciales pagan 2.5 × la factura mensual más alta estimada")


def test_the_spanish_pdf_and_email_have_a_spanish_letterhead_date_and_closing(cliente, mailoutbox):
    letter = letter_send(account=cliente, kind="general", merge={"message": "Su medidor."})
    text = pdf_text(letter_pdf(letter))
    today = letter_texts.letter_date(timezone.localdate(), "es")
    for expected in (
        "Servicios Públicos de la Ciudad de Mesa",
        today,
        f"Cuenta {cliente.number}: Sobre su cuenta de servicios",
        "Su medidor.",
        "Atentamente,",
        "Servicio al Cliente",
        "página 1 de 1",
    ):
        assert expected in text, expected
    Letter.objects.filter(pk=letter.pk).update(emailed_to="nora@example.com")
    assert letter_email_send(letter_id=letter.pk)
    assert "Atentamente" not in mailoutbox[0].body  # the closing is the PDF's
    assert mailoutbox[0].body.endswith(
        "Servicio al Cliente\nServicios Públicos de la Ciudad de Mesa\n\n"
        "Adjuntamos una copia de esta carta en PDF."
    )


def test_the_shipped_spanish_wording_uses_the_same_fields_as_the_english():
    assert set(letter_texts.DEFAULT_TEMPLATES_ES) == set(LetterTemplate.Kind.values)
    for kind, (subject, body) in letter_texts.DEFAULT_TEMPLATES_ES.items():
        english = letter_texts.DEFAULT_TEMPLATES[kind]
        assert letter_texts.unknown_fields(kind, subject, body) == [], kind
        assert set(letter_texts.fields_used(body)) == set(letter_texts.fields_used(english[2]))
        assert letter_texts.letterhead_for(kind, "es")[2] in body


def test_installing_the_defaults_adds_spanish_and_keeps_edited_english(templates):
    LetterTemplate.objects.filter(kind="welcome").update(
        subject="Edited", subject_es="", body_es=""
    )
    assert letter_texts.install_default_templates(LetterTemplate) == 0
    welcome = LetterTemplate.objects.get(kind="welcome")
    assert welcome.subject == "Edited"
    assert welcome.subject_es == letter_texts.DEFAULT_TEMPLATES_ES["welcome"][0]


def test_half_a_translation_or_an_unknown_spanish_field_is_refused(templates):
    general = templates["general"]
    with pytest.raises(ValidationError) as refused:
        letter_template_update(
            template_id=general.pk,
            subject="Hi",
            body="{{ message }}",
            subject_es="Hola",
            body_es="",
            updated_by=None,
        )
    assert "Give both the Spanish subject and body" in str(refused.value.message_dict["body_es"])
    with pytest.raises(ValidationError) as refused:
        letter_template_update(
            template_id=general.pk,
            subject="Hi",
            body="{{ message }}",
            subject_es="Hola",
            body_es="{{ mensaje }}",
            updated_by=None,
        )
    assert "mensaje" in str(refused.value.message_dict["body_es"])
    general.refresh_from_db()
    assert general.subject != "Hi"


def test_the_editor_saves_and_previews_both_languages(client_as, templates):
    client = client_as(Role.SUPERVISOR)
    template = templates["general"]
    url = reverse("accounts:letter_template_edit", args=[template.pk])
    page = client.get(url).content.decode()
    assert 'id="preview-body-es"' in page and "Estimado(a) Maria Gonzales:" in page
    preview = client.post(
        reverse("accounts:letter_template_preview", args=[template.pk]),
        {
            "subject": "Hi",
            "body": "{{ message }}",
            "subject_es": "Hola",
            "body_es": "Hoy {{ today }}",
        },
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f"Hoy {letter_texts.letter_date(timezone.localdate(), 'es')}" in preview
    response = client.post(
        url, {"subject": "Hi", "body": "{{ message }}", "subject_es": "Hola", "body_es": "Hola."}
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.subject_es, template.body_es) == ("Hola", "Hola.")


def test_the_clerk_is_told_to_write_in_spanish(client_as, cliente):
    url = reverse("accounts:letter_new", args=[cliente.number])
    assert "write the message in Spanish" in client_as(Role.CLERK).get(url).content.decode()
    Person.objects.update(preferred_language="en")
    assert "write the message in Spanish" not in client_as(Role.CLERK).get(url).content.decode()

"""The Alarm Permit Unit's letters (docs/letters.md, "Alarm letters"): eight
kinds in English and Spanish, on the Police Department's letterhead, logged
under the Alarm permit topic."""

import importlib
from datetime import date
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Contact, Letter, LetterTemplate
from accounts.rules import letter_texts
from accounts.services.letters import (
    _printable,
    letter_email_send,
    letter_pdf,
    letter_send,
    letter_template_update,
)
from mesa_cs.lib.roles import Role
from tests.accounts.test_letters import pdf_text
from tests.factories import AccountFactory, PersonFactory

pytestmark = pytest.mark.django_db

ALARM_KINDS = [kind for kind in LetterTemplate.Kind.values if kind.startswith("alarm_")]
MIGRATION = "accounts.migrations.0025_alarm_letters"


@pytest.fixture(autouse=True)
def templates():
    letter_texts.install_default_templates(LetterTemplate)
    return {t.kind: t for t in LetterTemplate.objects.all()}


def alarm_account(language="en", email=""):
    """An alarm permit account: no utility service, mail to the permit holder."""
    person = PersonFactory(
        first_name="Rosa",
        last_name="Valdez",
        preferred_language=language,
        email=email,
        mailing_line1="2150 E Brown Rd",
        mailing_city="Mesa",
        mailing_state="AZ",
        mailing_zip="85213",
    )
    account = AccountFactory(name="Rosa Valdez", kind="alarm")
    account.links.create(person=person, role="main")
    return account


# What an alarm flow passes: text, dates, Decimal amounts and wording per
# language; then what each value reads as in English and in Spanish.
MERGE = {
    "alarm_permit_issued": {
        "permit_number": "AP-2026-00412",
        "alarm_functions": letter_texts.alarm_functions_wording(["burglary", "panic"]),
        "premise_address": "2150 E Brown Rd, Mesa, AZ 85213",
        "expires_on": date(2027, 3, 2),
        "fee_total": D("20.00"),
        "due_date": date(2026, 4, 1),
    },
    "alarm_renewal": {
        "permit_number": "AP-2026-00412",
        "premise_address": "2150 E Brown Rd, Mesa, AZ 85213",
        "expires_on": date(2027, 3, 2),
        "fee_total": D("20.00"),
        "due_date": date(2027, 3, 2),
    },
    "alarm_false_alarm": {
        "permit_number": letter_texts.NO_PERMIT_ON_FILE,
        "premise_address": "2150 E Brown Rd, Mesa, AZ 85213",
        "incident_number": "MPD-26-081234",
        "incident_date": date(2026, 2, 14),
        "alarm_type": letter_texts.alarm_type_wording("burglary"),
        "count_in_window": letter_texts.count_wording(2),
        "fee": D("100.00"),
        "no_permit_fee": D("100.00"),
        "next_fee": D("150.00"),
        "invoice_number": "AI-000318",
        "due_date": date(2026, 3, 16),
        "appeal_by": date(2026, 3, 2),
    },
    "alarm_suspended": {
        "permit_number": "AP-2026-00412",
        "premise_address": "2150 E Brown Rd, Mesa, AZ 85213",
        "reason": {
            "en": "Ten burglary false alarms in 365 days",
            "es": "Diez falsas alarmas de robo en 365 días",
        },
        "suspended_on": date(2026, 3, 9),
    },
    "alarm_reinstated": {
        "permit_number": "AP-2026-00412",
        "premise_address": "2150 E Brown Rd, Mesa, AZ 85213",
        "reinstated_on": date(2026, 4, 6),
    },
    "alarm_appeal_received": {
        "permit_number": "AP-2026-00412",
        "invoice_number": "AI-000318",
        "filed_on": date(2026, 2, 24),
        "hearing_by": date(2026, 3, 26),
    },
    "alarm_hearing_scheduled": {
        "permit_number": "AP-2026-00412",
        "invoice_number": "AI-000318",
        "hearing_on": date(2026, 3, 18),
        "hearing_time": "9:30 AM",
        "hearing_place": "130 N Robson, Room 120",
    },
    "alarm_appeal_decision": {
        "permit_number": "AP-2026-00412",
        "invoice_number": "AI-000318",
        "outcome": letter_texts.appeal_outcome_wording("reduced"),
        "reason": {"en": "The door sensor was faulty", "es": "El sensor de la puerta falló"},
        "amount_due": D("0.00"),
    },
}
READS = {
    "en": {
        "alarm_permit_issued": [
            "Permit number: AP-2026-00412",
            "Alarm functions: Burglary, Panic",
            "Your alarm permit for 2150 E Brown Rd, Mesa, AZ 85213 has been issued.",
            "Permit expires: March 2, 2027",
            "Permit fee: $20.00",
            "Please pay by: April 1, 2026",
        ],
        "alarm_renewal": [
            "Your alarm permit AP-2026-00412 for 2150 E Brown Rd, Mesa, AZ 85213 expires on "
            "March 2, 2027.",
            "renewal fee of $20.00 by March 2, 2027",
        ],
        "alarm_false_alarm": [
            "at 2150 E Brown Rd, Mesa, AZ 85213 on February 14, 2026 (incident MPD-26-081234)",
            "Alarm permit: none on file",
            "Alarm type: Burglary",
            "False alarm in the last 365 days: 2nd",
            "False alarm fee: $100.00",
            "Fee for an alarm without an active permit: $100.00",
            "Invoice number: AI-000318",
            "Please pay by: March 16, 2026",
            "would cost $150.00",
            "invoice number, by March 2, 2026",
        ],
        "alarm_suspended": [
            "alarm permit AP-2026-00412 for 2150 E Brown Rd, Mesa, AZ 85213 was suspended on "
            "March 9, 2026",
            "Reason: Ten burglary false alarms in 365 days",
        ],
        "alarm_reinstated": [
            "alarm permit AP-2026-00412 for 2150 E Brown Rd, Mesa, AZ 85213 was reinstated on "
            "April 6, 2026",
        ],
        "alarm_appeal_received": [
            "invoice AI-000318 (alarm permit AP-2026-00412) on February 24, 2026",
            "held by March 26, 2026",
        ],
        "alarm_hearing_scheduled": [
            "invoice AI-000318 (alarm permit AP-2026-00412)",
            "Date: March 18, 2026\nTime: 9:30 AM\nPlace: 130 N Robson, Room 120",
        ],
        "alarm_appeal_decision": [
            "invoice AI-000318 (alarm permit AP-2026-00412)",
            "Decision: Reduced\nReason: The door sensor was faulty\nAmount due: $0.00",
        ],
    },
    "es": {
        "alarm_permit_issued": [
            "Número de permiso: AP-2026-00412",
            "Funciones de alarma: Robo, Pánico",
            "permiso de alarma para 2150 E Brown Rd, Mesa, AZ 85213",
            "El permiso vence el: 2 de marzo de 2027",
            "Cargo del permiso: $20.00",
            "Pague a más tardar el: 1 de abril de 2026",
        ],
        "alarm_renewal": [
            "AP-2026-00412 para 2150 E Brown Rd, Mesa, AZ 85213 vence el 2 de marzo de 2027.",
            "renovación de $20.00 a más tardar el 2 de marzo de 2027",
        ],
        "alarm_false_alarm": [
            "en 2150 E Brown Rd, Mesa, AZ 85213 el 14 de febrero de 2026 (incidente MPD-26-081234)",
            "Permiso de alarma: ninguno registrado",
            "Tipo de alarma: Robo",
            "Falsa alarma en los últimos 365 días: 2.ª",
            "Cargo por falsa alarma: $100.00",
            "Cargo por alarma sin permiso vigente: $100.00",
            "Número de factura: AI-000318",
            "Pague a más tardar el: 16 de marzo de 2026",
            "costaría $150.00",
            "a más tardar el 2 de marzo de 2026",
        ],
        "alarm_suspended": [
            "AP-2026-00412 para 2150 E Brown Rd, Mesa, AZ 85213 fue suspendido el "
            "9 de marzo de 2026",
            "Motivo: Diez falsas alarmas de robo en 365 días",
        ],
        "alarm_reinstated": [
            "AP-2026-00412 para 2150 E Brown Rd, Mesa, AZ 85213 fue restablecido el "
            "6 de abril de 2026",
        ],
        "alarm_appeal_received": [
            "AI-000318 (permiso de alarma AP-2026-00412) el 24 de febrero de 2026",
            "a más tardar el 26 de marzo de 2026",
        ],
        "alarm_hearing_scheduled": [
            "AI-000318 (permiso de alarma AP-2026-00412)",
            "Fecha: 18 de marzo de 2026\nHora: 9:30 AM\nLugar: 130 N Robson, Room 120",
        ],
        "alarm_appeal_decision": [
            "AI-000318 (permiso de alarma AP-2026-00412)",
            "Decisión sobre el cargo: Reducido\nMotivo: El sensor de la puerta falló\n"
            "Importe a pagar: $0.00",
        ],
    },
}
POLICE = {
    "en": ("Mesa Police Department — Alarm Permit Unit", "Alarm Permit Unit"),
    "es": ("Departamento de Policía de Mesa — Unidad de Permisos de Alarma", "Unidad de Permisos"),
}


def test_every_alarm_kind_has_its_fields_wording_and_sample_values():
    assert len(ALARM_KINDS) == 8
    assert set(MERGE) == set(ALARM_KINDS)
    for kind in ALARM_KINDS:
        assert set(MERGE[kind]) == set(letter_texts.KIND_FIELDS[kind]), kind
        assert len(kind) <= LetterTemplate._meta.get_field("kind").max_length
        assert len(kind) <= Letter._meta.get_field("kind").max_length
        for language in ("en", "es"):
            samples = letter_texts.sample_values(kind, date(2026, 3, 5), language)
            assert all(samples[name] for name in letter_texts.KIND_FIELDS[kind]), kind
            assert all(name in letter_texts.FIELD_HELP for name in samples), kind


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", ALARM_KINDS)
def test_each_alarm_letter_sends_filled_in_on_police_letterhead(kind, language):
    account = alarm_account(language)
    letter = letter_send(
        account=account, kind=kind, merge=MERGE[kind], source_key=f"test:{kind}:{language}"
    )
    assert letter.language == language
    assert "{{" not in letter.subject and "{{" not in letter.body
    assert letter.body.startswith(
        "Dear Rosa Valdez," if language == "en" else "Estimado(a) Rosa Valdez:"
    )
    for text in READS[language][kind]:
        assert text in letter.body, text
    assert "480-644-2699" in letter.body and "480-644-2221" not in letter.body
    assert letter.address == "2150 E Brown Rd\nMesa, AZ 85213"
    # Logged with the Alarm Permit Unit's conversations.
    assert letter.contact.topic == Contact.Topic.ALARM
    assert letter.contact.channel == Contact.Channel.LETTER
    # Printed on the Police Department's letterhead, signed by the unit.
    printable = _printable(letter)
    assert printable["letterhead"] == letter_texts.POLICE_LETTERHEADS[language]
    assert printable["signature"] == letter_texts.POLICE_SIGNATURES[language]
    pdf = letter_pdf(letter)
    assert pdf.startswith(b"%PDF")
    text = " ".join(pdf_text(pdf).split())
    letterhead, signature = POLICE[language]
    for expected in (letterhead, "130 N Robson, Mesa AZ 85201", "480-644-2699", signature):
        assert expected in text, expected
    assert "City of Mesa Utilities" not in text
    # One sheet for the mail house.
    assert ("page 1 of 1" if language == "en" else "página 1 de 1") in text
    assert "Servicios Públicos" not in text


def test_the_alarm_email_is_signed_by_the_alarm_permit_unit(mailoutbox):
    account = alarm_account("es", email="rosa@example.com")
    letter = letter_send(account=account, kind="alarm_reinstated", merge=MERGE["alarm_reinstated"])
    assert letter_email_send(letter_id=letter.pk)
    body = mailoutbox[0].body
    assert body.endswith(
        "Unidad de Permisos de Alarma\nDepartamento de Policía de Mesa\n\n"
        "Adjuntamos una copia de esta carta en PDF."
    )
    assert mailoutbox[0].attachments[0][1].startswith(b"%PDF")


def test_utility_letters_keep_the_utility_letterhead():
    assert letter_texts.letterhead_for("general") == letter_texts.LETTERHEAD
    assert letter_texts.letterhead_for("final_bill", "es")[0] == (
        "Servicios Públicos de la Ciudad de Mesa"
    )
    assert letter_texts.signature_for("welcome") == ("Customer Service", "City of Mesa Utilities")
    assert letter_texts.letterhead_for("alarm_renewal")[0] == (
        "Mesa Police Department — Alarm Permit Unit"
    )
    assert letter_texts.signature_for("alarm_renewal", "es") == (
        "Unidad de Permisos de Alarma",
        "Departamento de Policía de Mesa",
    )


def test_the_alarm_wording_helpers():
    assert [letter_texts.count_wording(n)["en"] for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
    ]
    assert letter_texts.count_wording(3)["es"] == "3.ª"
    assert letter_texts.alarm_functions_wording(["burglary", "robbery"]) == {
        "en": "Burglary, Robbery",
        "es": "Robo, Asalto",
    }
    assert {o: letter_texts.appeal_outcome_wording(o)["es"] for o in ("upheld", "waived")} == {
        "upheld": "Confirmado",
        "waived": "Condonado",
    }


def test_an_alarm_letter_refuses_a_missing_value_by_name():
    from django.core.exceptions import ValidationError

    merge = dict(MERGE["alarm_hearing_scheduled"], hearing_time="")
    with pytest.raises(ValidationError, match="needs a value for: hearing_time"):
        letter_send(account=alarm_account(), kind="alarm_hearing_scheduled", merge=merge)


def test_the_migration_adds_missing_alarm_templates_and_never_overwrites(templates):
    migration = importlib.import_module(MIGRATION)
    # Its frozen copy is the live wording.
    assert migration.TEMPLATES == letter_texts.ALARM_TEMPLATES
    assert migration.SPANISH == letter_texts.ALARM_TEMPLATES_ES
    letter_template_update(
        template_id=templates["alarm_suspended"].pk,
        subject="Permit {{ permit_number }} suspended",
        body="Dear {{ customer_name }},\n\n{{ reason }}",
        subject_es="Permiso {{ permit_number }} suspendido",
        body_es="Estimado(a) {{ customer_name }}:\n\n{{ reason }}",
        updated_by=None,
    )
    LetterTemplate.objects.filter(kind="alarm_renewal").delete()
    migration.install_alarm_texts(apps, None)
    edited = LetterTemplate.objects.get(kind="alarm_suspended")
    assert edited.subject == "Permit {{ permit_number }} suspended"
    assert edited.body_es == "Estimado(a) {{ customer_name }}:\n\n{{ reason }}"
    renewal = LetterTemplate.objects.get(kind="alarm_renewal")
    assert (renewal.name, renewal.subject, renewal.body) == letter_texts.ALARM_TEMPLATES[
        "alarm_renewal"
    ]
    assert (renewal.subject_es, renewal.body_es) == letter_texts.ALARM_TEMPLATES_ES["alarm_renewal"]
    assert LetterTemplate.objects.filter(kind__startswith="alarm_").count() == 8


def test_the_editor_previews_an_alarm_letter_signed_by_the_police(client_as, templates):
    url = reverse("accounts:letter_template_edit", args=[templates["alarm_false_alarm"].pk])
    page = client_as(Role.SUPERVISOR).get(url).content.decode()
    for text in ("{{ count_in_window }}", "{{ no_permit_fee }}", "MPD-26-081234", "2.ª"):
        assert text in page, text
    assert "Alarm Permit Unit" in page and "Unidad de Permisos de Alarma" in page

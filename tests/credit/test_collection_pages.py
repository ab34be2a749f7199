"""The collections worklist, holds on the account's Collections tab, heat
days, notice batches and the disconnect list."""

import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from credit.models import HeatDay, Hold, NoticeBatch
from credit.services.collections import collections_run
from credit.services.notices import notice_batches_build
from tests.credit.test_collections import (
    DISCONNECT,
    DUE,
    ELIGIBLE,
    NOTICE,
    REMINDER,
    delinquent,
    run_on_the_day,
)

pytestmark = pytest.mark.django_db


def test_the_worklist_filters_and_exports(client_as):
    account = delinquent()
    collections_run(on=REMINDER)
    client = client_as("Credit Representative")
    page = client.get(reverse("credit:collections"), {"step": "reminder"}).content.decode()
    assert account.number in page and "Reminder" in page
    none = client.get(reverse("credit:collections"), {"step": "notice"}).content.decode()
    assert account.number not in none
    export = client.get(reverse("credit:collections"), {"_export": "csv"})
    assert account.number in export.content.decode()


def test_a_hold_placed_on_the_tab_stops_the_disconnect_and_can_be_released(client_as):
    # Dated so that the disconnect falls due today, when the hold is placed.
    today = timezone.localdate()
    account = delinquent(due=today - (DISCONNECT - DUE))
    for day in (REMINDER, NOTICE, ELIGIBLE):
        collections_run(on=day - DISCONNECT + today)
    client = client_as("Credit Representative")
    client.post(
        reverse("credit:hold_add", args=[account.number]),
        {"kind": "medical", "reason": "Oxygen concentrator; certificate from Dr. Lee"},
    )
    hold = Hold.objects.get(account=account)
    assert hold.kind == "medical" and hold.ends_on.year == today.year + 1
    tab = client.get(reverse("accounts:tab", args=[account.number, "collections"])).content
    assert b"Oxygen concentrator" in tab and b"Eligible for disconnection" in tab
    assert collections_run(on=today).as_dict()["holds"] == {"medical": 1}
    release = reverse("credit:hold_release", args=[hold.pk])
    client.post(release)  # no reason given: refused
    assert Hold.objects.get(pk=hold.pk).released_on is None
    client.post(release, {"reason": "Certificate withdrawn by Dr. Lee"})
    assert Hold.objects.get(pk=hold.pk).released_on is not None
    assert account.notes.filter(text__contains="Certificate withdrawn by Dr. Lee").exists()
    later = today + timedelta(days=1)
    assert run_on_the_day(later).as_dict()["disconnect_orders"] == 1
    crews = client.get(reverse("accounts:dispatch"), {"day": later, "kind": "disconnect"})
    assert account.number in crews.content.decode()


def test_only_supervisors_record_heat_days(client_as):
    rep = client_as("Credit Representative")
    rep.post(reverse("credit:heat_days"), {"day": "2026-10-05", "kind": "warning"})
    assert not HeatDay.objects.exists()
    boss = client_as("Supervisor")
    boss.post(reverse("credit:heat_days"), {"day": "2026-10-05", "kind": "warning", "note": "NWS"})
    assert HeatDay.objects.get().kind == "warning"


def test_notices_are_batched_into_one_pdf_for_mailing(client_as, tmp_path):
    first, second = delinquent(), delinquent(address="2255 E Brown Rd")
    collections_run(on=REMINDER)
    notice_batches_build(run_on=REMINDER)
    batch = NoticeBatch.objects.get(run_on=REMINDER, action="reminder")
    assert batch.notices == 2
    response = client_as("Credit Representative").get(
        reverse("credit:notice_batch_pdf", args=[batch.pk])
    )
    pdf = tmp_path / "notices.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert first.number in text and second.number in text and "$212.40" in text


def test_the_tab_ages_the_open_balance_by_utility_and_days_past_due():
    from decimal import Decimal as D

    from accounts.services import Charge, charges_post
    from credit.selectors.collections import aging_by_utility

    account = delinquent()  # water $212.40 billed 09/29
    charges_post(
        account=account,
        kind="fee",
        effective_on=DUE + timedelta(days=15),
        description="Notice",
        charges=[Charge(D("3.00"), revenue_purpose="fees")],
    )
    rows = dict(aging_by_utility(account.pk, DUE + timedelta(days=30)))
    assert rows["Water"]["1-30"] == D("212.40") and rows["Water"]["current"] == D("0")
    # The notice fee fell due the day it was charged: 15 days past due.
    assert rows["Fees and credits"]["1-30"] == D("3.00")
    assert rows["Fees and credits"]["current"] == D("0")


def test_a_customer_who_prefers_spanish_gets_the_notice_in_spanish(tmp_path):
    from tests.factories import PersonFactory

    english, spanish = delinquent(), delinquent(address="2255 E Brown Rd")
    spanish.links.create(person=PersonFactory(preferred_language="es"), role="main")
    collections_run(on=REMINDER)
    notice_batches_build(run_on=REMINDER)
    pdf = tmp_path / "notices.pdf"
    pdf.write_bytes(NoticeBatch.objects.get(run_on=REMINDER).pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    english_page, spanish_page = sorted(
        text.split("\f")[:2], key=lambda page: english.number not in page
    )
    assert "Our records show $212.40 past due" in english_page
    assert "Recordatorio de pago" in spanish_page
    assert "Nuestros registros muestran un saldo vencido de $212.40" in spanish_page
    assert f"Cuenta {spanish.number}" in spanish_page
    assert "Servicios Públicos de la Ciudad de Mesa" in spanish_page


def test_a_notice_wording_with_other_braces_is_refused():
    from django.core.exceptions import ValidationError

    from credit.models import LadderStep

    step = LadderStep.objects.filter(action="notice").first()
    step.notice_text_es = "Pague {amount} antes del {fecha}."
    with pytest.raises(ValidationError) as refused:
        step.full_clean()
    assert "Only {amount} and {date}" in str(refused.value.message_dict["notice_text_es"])


def test_a_hold_that_belongs_to_an_arrangement_is_not_released_by_hand(client_as):
    from credit.services.holds import hold_place
    from tests.factories import UserFactory

    account = delinquent()
    hold = hold_place(
        account=account,
        kind="arrangement",
        reason="Arrangement #1",
        owner=UserFactory(),
        source_key="arrangement:1",
    )
    client = client_as("Credit Representative")
    tab = client.get(reverse("accounts:tab", args=[account.number, "collections"])).content
    assert b"Ends with its payment arrangement record" in tab
    page = client.post(
        reverse("credit:hold_release", args=[hold.pk]), {"reason": "Customer asked"}, follow=True
    )
    assert "ends with its payment arrangement" in page.content.decode()
    assert Hold.objects.get(pk=hold.pk).released_on is None

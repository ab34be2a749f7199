"""Card numbers are refused by every service that stores what a person or a
file typed, naming the field, and nothing is stored. The two forms the
counter was fooled with (dots, a leading reference) are used throughout."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AccountNote, Contact, Person
from accounts.rules.scanline import scan_line
from accounts.services import contact_log
from cashiering.forms import CounterPaymentForm
from cashiering.models import Payment, SuspenseItem, TenderSource
from cashiering.services.drawers import shift_open
from cashiering.services.payment_files import payment_file_import
from cashiering.services.payments import TenderLine, payment_take
from mesa_cs.lib.luhn import looks_like_card_number
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory, PersonFactory, WorkItemFactory

pytestmark = pytest.mark.django_db
DOTS = "4111.1111.1111.1111"
LEADING_REF = "Ref 12 4111111111111111"
TODAY = timezone.localdate()


@pytest.fixture
def cast(role_users):
    from credit.services.holds import hold_place

    account = AccountFactory()
    supervisor = role_users[Role.SUPERVISOR]
    return {
        "account": account,
        "person": PersonFactory(),
        "clerk": role_users[Role.CLERK],
        "supervisor": supervisor,
        "cashier": role_users[Role.CASHIER],
        "hold": hold_place(account=account, kind="supervisor", reason="Review", owner=supervisor),
        "item": WorkItemFactory(),
    }


def _services():
    """(field named in the refusal, call with the card text)."""
    from accounts import services as acc
    from accounts.services import customers, deposits, enrolments, field, letters, start
    from billing.services import adjustments
    from cashiering.services import corrections, drawers, refunds, suspense
    from credit.services import (
        arrangements,
        assistance,
        bankruptcy,
        calls,
        holds,
        write_offs,
    )
    from credit.services import deposits as credit_deposits
    from staffing import services as staffing

    a = "account"
    return {
        "account note": ("text", lambda c, t: acc.account_note_add(account=c[a], text=t)),
        "contact": (
            "notes",
            lambda c, t: acc.contact_log(account=c[a], channel="call", topic="billing", notes=t),
        ),
        "account flag": (
            "reason",
            lambda c, t: acc.account_flag_set(
                account=c[a], kind="dispute", starts_on=TODAY, reason=t
            ),
        ),
        "person first name": (
            "first_name",
            lambda c, t: acc.person_create(first_name=t, last_name="Ortiz"),
        ),
        "person last name": ("last_name", lambda c, t: acc.person_create(last_name=t)),
        "business name": ("business_name", lambda c, t: acc.person_create(business_name=t)),
        "mailing address": (
            "mailing_line1",
            lambda c, t: acc.person_create(last_name="Ortiz", mailing_line1=t),
        ),
        "mailing address line 2": (
            "mailing_line2",
            lambda c, t: customers.person_mailing_address_set(
                person=c["person"],
                mailing_line1="1 Main St",
                mailing_line2=t,
                mailing_city="Mesa",
                mailing_state="AZ",
                mailing_zip="85201",
            ),
        ),
        "forwarding city": (
            "mailing_city",
            lambda c, t: customers.person_mailing_address_set(
                person=c["person"],
                mailing_line1="1 Main St",
                mailing_city=t,
                mailing_state="AZ",
                mailing_zip="85201",
            ),
        ),
        "account name": ("name", lambda c, t: acc.account_create(name=t)),
        "premise unit": (
            "unit",
            lambda c, t: acc.premise_create(
                house_number="20", street_name="Main", zip_code="85201", unit=t
            ),
        ),
        "work order notes": (
            "notes",
            lambda c, t: field.field_work_request(
                account=c[a], agreement=None, kind="door_hanger", scheduled_on=TODAY, notes=t
            ),
        ),
        "field completion notes": (
            "notes",
            lambda c, t: field.field_activity_complete(
                activity_id=0, completed_by=c["clerk"], notes=t
            ),
        ),
        "field completion outcome": (
            "outcome",
            lambda c, t: field.field_activity_complete(
                activity_id=0, completed_by=c["clerk"], outcome=t
            ),
        ),
        "field cancel reason": (
            "reason",
            lambda c, t: field.field_activity_cancel(activity_id=0, reason=t, by=c["clerk"]),
        ),
        "deposit reason": (
            "reason",
            lambda c, t: deposits.deposit_bill(account=c[a], amount=D("50"), reason=t, on=TODAY),
        ),
        "bond number": (
            "bond_reference",
            lambda c, t: deposits.deposit_bond_record(
                account=c[a],
                amount=D("50"),
                reason="New",
                bond_reference=t,
                bond_expires_on=None,
                on=TODAY,
            ),
        ),
        "deposit release note": (
            "note",
            lambda c, t: deposits.deposit_release(
                account=c[a], on=TODAY, outcome="refunded", note=t
            ),
        ),
        "eligibility verified by": (
            "verified_by",
            lambda c, t: enrolments.enrolment_start(
                account=c[a], program="SEA", starts_on=TODAY, verified_by=t
            ),
        ),
        "start bond number": (
            "bond_reference",
            lambda c, t: start.service_start(
                person=c["person"], premise=None, services=[], starts_on=TODAY, bond_reference=t
            ),
        ),
        "letter message": (
            "message",
            lambda c, t: letters.letter_send(account=c[a], kind="general", merge={"message": t}),
        ),
        "letter template body": (
            "body",
            lambda c, t: letters.letter_template_update(
                template_id=0, subject="Hi", body=t, updated_by=c["clerk"]
            ),
        ),
        "letter template subject": (
            "subject",
            lambda c, t: letters.letter_template_update(
                template_id=0, subject=t, body="Hi", updated_by=c["clerk"]
            ),
        ),
        "Spanish template body": (
            "body_es",
            lambda c, t: letters.letter_template_update(
                template_id=0,
                subject="Hi",
                body="Hi",
                subject_es="Hola",
                body_es=t,
                updated_by=c["clerk"],
            ),
        ),
        "adjustment note": (
            "note",
            lambda c, t: adjustments.adjustment_request(
                account=c[a], amount=D("5"), reason="courtesy", note=t, requested_by=c["clerk"]
            ),
        ),
        "adjustment rejection": (
            "why",
            lambda c, t: adjustments.adjustment_reject(adjustment_id=0, by=c["supervisor"], why=t),
        ),
        "cancel and rebill reason": (
            "reason",
            lambda c, t: adjustments.bill_cancel_rebill(
                bill_id=0, reason=t, by=c["clerk"], book=None
            ),
        ),
        "void reason": (
            "reason",
            lambda c, t: corrections.payment_void(
                payment_id=0, supervisor=c["supervisor"], reason=t
            ),
        ),
        "transfer reason": (
            "reason",
            lambda c, t: corrections.payment_transfer(
                allocation_id=0, to_account=c[a], amount=None, reason=t, by=c["clerk"]
            ),
        ),
        "drawer difference reason": (
            "reason",
            lambda c, t: drawers.shift_close(
                shift_id=0, cashier=c["cashier"], denominations={}, checks=[], reason=t
            ),
        ),
        "shift reopen reason": (
            "reason",
            lambda c, t: drawers.shift_reopen(shift_id=0, supervisor=c["supervisor"], reason=t),
        ),
        "refund reason": (
            "reason",
            lambda c, t: refunds.refund_request(
                account=c[a], amount=D("5"), reason=t, requested_by=c["clerk"]
            ),
        ),
        "refund rejection": (
            "why",
            lambda c, t: refunds.refund_reject(refund_id=0, by=c["supervisor"], why=t),
        ),
        "suspense apply note": (
            "note",
            lambda c, t: suspense.suspense_apply(item_id=0, account=c[a], by=c["clerk"], note=t),
        ),
        "suspense refund note": (
            "note",
            lambda c, t: suspense.suspense_refund(item_id=0, by=c["clerk"], note=t),
        ),
        "hold reason": (
            "reason",
            lambda c, t: holds.hold_place(
                account=c[a], kind="supervisor", reason=t, owner=c["supervisor"]
            ),
        ),
        "hold release reason": (
            "reason",
            lambda c, t: holds.hold_release_by_hand(hold=c["hold"], reason=t, by=c["supervisor"]),
        ),
        "arrangement override": (
            "override_reason",
            lambda c, t: arrangements.arrangement_make(
                account=c[a],
                down_payment=D("10"),
                months=3,
                made_by=c["clerk"],
                on=TODAY,
                override_reason=t,
            ),
        ),
        "arrangement cancel reason": (
            "reason",
            lambda c, t: arrangements.arrangement_cancel(
                arrangement=None, reason=t, by=c["supervisor"], on=TODAY
            ),
        ),
        "pledge reference": (
            "reference",
            lambda c, t: assistance.pledge_record(
                account=c[a],
                agency="MesaCAN",
                amount=D("50"),
                expires_on=TODAY + timedelta(days=30),
                reference=t,
                recorded_by=c["clerk"],
                on=TODAY,
            ),
        ),
        "bankruptcy case number": (
            "case_number",
            lambda c, t: bankruptcy.bankruptcy_record(
                account=c[a],
                case_number=t,
                chapter=7,
                court="Court",
                petition_on=TODAY,
                recorded_by=c["clerk"],
            ),
        ),
        "bankruptcy court": (
            "court",
            lambda c, t: bankruptcy.bankruptcy_record(
                account=c[a],
                case_number="26-1",
                chapter=7,
                court=t,
                petition_on=TODAY,
                recorded_by=c["clerk"],
            ),
        ),
        "collector call notes": (
            "notes",
            lambda c, t: calls.call_log(
                account=c[a], outcome="no_answer", notes=t, called_by=c["clerk"]
            ),
        ),
        "deposit dispute": (
            "details",
            lambda c, t: credit_deposits.deposit_dispute_open(
                deposit=None, details=t, by=c["clerk"]
            ),
        ),
        "write-off reason": (
            "reason",
            lambda c, t: write_offs.write_off_request(
                account=c[a], amount=D("5"), reason=t, requested_by=c["clerk"]
            ),
        ),
        "write-off rejection": (
            "why",
            lambda c, t: write_offs.write_off_reject(write_off_id=0, by=c["supervisor"], why=t),
        ),
        "recovery received from": (
            "description",
            lambda c, t: write_offs.recovery_post(
                account=c[a], amount=D("5"), on=TODAY, by=c["clerk"], description=t
            ),
        ),
        "work item note": (
            "text",
            lambda c, t: staffing.work_item_note_add(
                item_id=c["item"].pk, author=c["clerk"], text=t
            ),
        ),
        "work item outcome": (
            "outcome",
            lambda c, t: staffing.work_item_close(
                item_id=c["item"].pk, closed_by=c["clerk"], outcome=t
            ),
        ),
        "work item closing note": (
            "note",
            lambda c, t: staffing.work_item_close(
                item_id=c["item"].pk, closed_by=c["clerk"], outcome="Done", note=t
            ),
        ),
    }


SERVICES = _services()


@pytest.mark.parametrize("text", [DOTS, LEADING_REF], ids=["dots", "leading-ref"])
@pytest.mark.parametrize("case", SERVICES, ids=list(SERVICES))
def test_every_free_text_service_refuses_a_card_number_naming_the_field(cast, case, text):
    field, call = SERVICES[case]
    with pytest.raises(ValidationError) as error:
        call(cast, text)
    assert "card number" in " ".join(error.value.message_dict.get(field, [])), error.value


def test_the_counter_refuses_the_card_numbers_it_was_fooled_with(cast):
    shift = shift_open(
        source=TenderSource.objects.get(code="MAIN"), cashier=cast["cashier"], opening_float=D("0")
    )
    account = cast["account"]
    for key, tender, payer in [
        ("k1", TenderLine("CARD", D("5"), DOTS), ""),
        ("k2", TenderLine("CASH", D("5")), LEADING_REF),
    ]:
        with pytest.raises(ValidationError, match="card number"):
            payment_take(
                source=shift.source,
                shift=shift,
                received_on=TODAY,
                tenders=[tender],
                allocations=[(account, D("5"))],
                idempotency_key=key,
                payer_name=payer,
            )
    assert not Payment.objects.exists()


def test_the_counter_form_shows_it_on_the_field_and_still_reads_scan_lines(cast):
    account = cast["account"]
    # A scan line is long digits that can look like a card; it is not free text.
    line = next(
        text
        for cents in range(1, 1000)
        if looks_like_card_number(text := scan_line(account.number, D(cents) / 100))
    )
    form = CounterPaymentForm(
        {
            "key": "k",
            "payer_name": LEADING_REF,
            "account_1": line,
            "amount_1": "5",
            "tender_1": "CARD",
            "tender_amount_1": "5",
            "reference_1": DOTS,
        }
    )
    assert not form.is_valid()
    assert set(form.errors) == {"payer_name", "reference_1"}
    assert "card number" in form.errors["payer_name"][0]
    ok = CounterPaymentForm(
        {
            "key": "k",
            "account_1": line,
            "amount_1": "5",
            "tender_1": "CASH",
            "tender_amount_1": "5",
        }
    )
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data["allocations"][0][0] == account


def test_a_note_form_shows_the_refusal_on_the_field_and_stores_nothing(client_as, cast):
    account = cast["account"]
    response = client_as(Role.CLERK).post(
        f"/accounts/{account.number}/notes/", {"text": f"Customer read out {DOTS}"}
    )
    assert response.status_code in (200, 400)
    assert "card number" in response.content.decode()
    assert not AccountNote.objects.filter(account=account).exists()


def test_a_payment_file_item_with_a_card_number_is_held_with_only_its_last_4(cast):
    account = cast["account"]
    content = "\n".join(
        [
            "H,LBX-CARD-1,2026-01-05,LOCKBOX",
            f"P,ITEM-C1,{account.number},20.00,CHECK,{DOTS},Maria Gonzales",
            f'P,ITEM-C2,{account.number},30.00,CHECK,1001,"{LEADING_REF}"',
            "P,ITEM-C3,4111111111111111,40.00,CHECK,1002,James Whitfield",
            "T,3,90.00,0,0.00",
        ]
    ).encode()
    payment_file_import(content=content, name="lbx.csv")
    held = {s.item_ref: s for s in SuspenseItem.objects.all()}
    assert set(held) == {"ITEM-C1", "ITEM-C2", "ITEM-C3"}
    assert all(s.reason == "a field looks like a card number" for s in held.values())
    assert held["ITEM-C1"].check_number == "****.****.****.1111"
    assert held["ITEM-C2"].payer_name == "Ref 12 ************1111"
    assert held["ITEM-C3"].account_number == "************1111"
    assert not Payment.objects.exists()
    for item in held.values():
        for value in (item.account_number, item.check_number, item.payer_name):
            assert not looks_like_card_number(value)


def test_nothing_is_stored_when_a_contact_is_refused(cast):
    with pytest.raises(ValidationError):
        contact_log(account=cast["account"], channel="call", topic="billing", notes=LEADING_REF)
    assert not Contact.objects.exists()
    assert not Person.objects.filter(last_name=DOTS).exists()

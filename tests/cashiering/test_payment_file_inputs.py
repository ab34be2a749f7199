"""Hostile and faulty payment files (issue 11, items 2 and 8): refused with the
line, never a 500, never half posted, never a rejected row without its reason."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from accounts.models import JournalEntry
from accounts.selectors import account_balance
from cashiering.models import Payment, PaymentFile, SuspenseItem, TenderSource
from cashiering.services.drawers import shift_open
from cashiering.services.payment_files import (
    payment_file_import,
    payment_file_process,
    payment_file_receive,
)
from cashiering.services.payments import TenderLine, payment_take
from mesa_cs.lib.dates import today
from mesa_cs.lib.roles import Role
from tests.cashiering.test_payment_files import remit
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
TWENTY_ONE_DIGITS = "123456789012345678901"


@pytest.fixture
def account():
    return AccountFactory()


def _nothing_posted():
    assert not Payment.objects.exists()
    assert not SuspenseItem.objects.exists()
    assert not JournalEntry.objects.filter(kind=JournalEntry.Kind.PAYMENT).exists()


def _every_rejected_file_says_why():
    for kept in PaymentFile.objects.filter(status=PaymentFile.Status.REJECTED):
        assert kept.summary.get("errors"), f"rejected file {kept.pk} has no reason"


def faulty_files(number):
    tomorrow = (today() + timedelta(days=1)).isoformat()
    return {
        "21-digit amount": (
            remit(
                "H,F21,2026-01-05,LOCKBOX",
                f"P,I1,{number},{TWENTY_ONE_DIGITS},CHECK,1,x",
                f"T,1,{TWENTY_ONE_DIGITS},0,0",
            ),
            2,
            "at most 10 digits before the point",
        ),
        "NUL byte": (
            remit(
                "H,FNUL,2026-01-05,LOCKBOX", f"P,I1,{number},10.00,CASH,,Jo\x00hn", "T,1,10.00,0,0"
            ),
            2,
            "NUL",
        ),
        "control character": (
            remit(
                "H,FBEL,2026-01-05,LOCKBOX", f"P,I1,{number},10.00,CASH,,Jo\x07hn", "T,1,10.00,0,0"
            ),
            2,
            "U+0007",
        ),
        "received after today": (
            remit(f"H,FUT,{tomorrow},LOCKBOX", f"P,I1,{number},10.00,CASH,,x", "T,1,10.00,0,0"),
            1,
            f"created date {tomorrow} is after today",
        ),
        "returned after today": (
            remit("H,FUTR,2026-01-05,LOCKBOX", f"R,I1,R01,10.00,{tomorrow}", "T,0,0,1,10.00"),
            2,
            f"return date {tomorrow} is after today",
        ),
        "a 200 kB field": (
            remit(
                "H,FHUGE,2026-01-05,LOCKBOX",
                f"P,I1,{number},10.00,CASH,,{'x' * 200_000}",
                "T,1,10.00,0,0",
            ),
            2,
            "cannot be read as CSV",
        ),
        # The item reference becomes the payment's and the suspense item's key.
        "card number as the item reference": (
            remit(
                "H,FCARD,2026-01-05,LOCKBOX",
                f"P,4111-1111-1111-1111,{number},10.00,CASH,,x",
                "T,1,10.00,0,0",
            ),
            2,
            "the item reference looks like a card number",
        ),
        # Reasons quote the line, and the file's summary is stored and shown.
        "card number as the amount": (
            remit(
                "H,FCARDA,2026-01-05,LOCKBOX",
                f"P,I1,{number},4111111111111111,CASH,,x",
                "T,1,10.00,0,0",
            ),
            2,
            "amount '************1111' is not",
        ),
        "item reference too long": (
            remit(
                "H,FLONG,2026-01-05,LOCKBOX",
                f"P,{'X' * 81},{number},10.00,CASH,,x",
                "T,1,10.00,0,0",
            ),
            2,
            "item reference is longer than 80",
        ),
    }


CASES = [
    "21-digit amount",
    "NUL byte",
    "control character",
    "received after today",
    "returned after today",
    "a 200 kB field",
    "item reference too long",
    "card number as the item reference",
    "card number as the amount",
]


@pytest.mark.parametrize("case", CASES)
def test_a_faulty_file_is_rejected_with_its_line_through_the_service(account, case):
    content, line, reason = faulty_files(account.number)[case]
    kept, outcome = payment_file_import(content=content, name="lockbox.csv")
    summary = outcome.as_dict()
    assert summary["status"] == "rejected"
    assert any(e["line"] == line and reason in e["reason"] for e in summary["errors"]), summary
    kept.refresh_from_db()
    assert kept.status == PaymentFile.Status.REJECTED and kept.summary == summary
    assert "4111111111111111" not in str(kept.summary)
    _nothing_posted()
    _every_rejected_file_says_why()


@pytest.mark.parametrize("case", CASES)
def test_a_faulty_file_is_rejected_with_its_line_through_the_upload_page(client_as, account, case):
    content, line, reason = faulty_files(account.number)[case]
    response = client_as(Role.SUPERVISOR).post(
        reverse("cashiering:payment_files"), {"file": SimpleUploadedFile("lbx.csv", content)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Line {line}:" in page and "Nothing in the file was posted" in page
    assert PaymentFile.objects.get().status == PaymentFile.Status.REJECTED
    _nothing_posted()
    _every_rejected_file_says_why()


def test_a_file_whose_last_payment_is_bad_posts_nothing(account):
    good = [f"P,I{n},{account.number},10.00,CASH,,x" for n in range(1, 50)]
    content = remit(
        "H,LAST,2026-01-05,LOCKBOX",
        *good,
        f"P,I50,{account.number},{TWENTY_ONE_DIGITS},CASH,,x",
        f"T,50,{D('490.00') + D(TWENTY_ONE_DIGITS)},0,0",
    )
    _, outcome = payment_file_import(content=content, name="lockbox.csv")
    assert outcome.status == "rejected"
    assert outcome.errors[0]["line"] == 51 and "amount" in outcome.errors[0]["reason"]
    _nothing_posted()
    assert account_balance(account.pk) == D("0")
    _every_rejected_file_says_why()


def test_a_database_refusal_rejects_the_whole_file_with_its_lines(account):
    # A real refusal by PostgreSQL, of the kind no check foresaw.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION pytest_refuse_tender() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'tender refused for the test'; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER pytest_refuse_tender BEFORE INSERT ON cashiering_paymenttender
            FOR EACH ROW EXECUTE FUNCTION pytest_refuse_tender();
            """
        )
    content = remit(
        "H,DBERR,2026-01-05,KIOSK",
        f"P,D1,{account.number},10.00,CASH,,x",
        f"P,D2,{account.number},12.00,CASH,,y",
        "T,2,22.00,0,0",
    )
    kept, outcome = payment_file_import(content=content, name="kiosk.csv")
    assert outcome.status == "rejected"
    [error] = outcome.errors
    assert error["line"] == 2 and "lines 2-3" in error["reason"]
    assert "tender refused for the test" in error["reason"]
    kept.refresh_from_db()
    assert kept.status == PaymentFile.Status.REJECTED and kept.summary["errors"] == [error]
    _nothing_posted()


def test_an_oversize_file_is_refused_by_the_service(account, settings):
    settings.IMPORT_MAX_BYTES = 200
    content = remit(
        "H,BIG,2026-01-05,LOCKBOX",
        *[f"P,B{n},{account.number},1.00,CASH,,x" for n in range(20)],
        "T,20,20.00,0,0",
    )
    kept, outcome = payment_file_import(content=content, name="big.csv")
    assert outcome.status == "rejected"
    assert outcome.errors[0]["line"] == 1 and "files up to" in outcome.errors[0]["reason"]
    kept.refresh_from_db()
    assert kept.summary["errors"]
    _nothing_posted()


def test_a_21_mb_upload_is_refused_on_the_form(client_as):
    big = b"H,HUGE,2026-01-05,LOCKBOX\n" + b"P" * (21 * 1024 * 1024)
    response = client_as(Role.SUPERVISOR).post(
        reverse("cashiering:payment_files"), {"file": SimpleUploadedFile("huge.csv", big)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The file is 21.0 MB; files up to 20.0 MB can be imported" in page
    assert not PaymentFile.objects.exists()


def test_processing_a_file_twice_posts_it_once(account):
    content = remit(
        "H,TWICE,2026-01-05,KIOSK", f"P,T1,{account.number},10.00,CASH,,x", "T,1,10.00,0,0"
    )
    kept = payment_file_receive(content=content, name="kiosk.csv")
    assert kept.status == PaymentFile.Status.PENDING
    assert payment_file_process(file_id=kept.pk).status == PaymentFile.Status.ACCEPTED
    again = payment_file_process(file_id=kept.pk)
    assert again.status == PaymentFile.Status.ACCEPTED
    assert again.summary["payments"]["posted"] == {"count": 1, "amount": "10.00"}
    assert Payment.objects.count() == 1 and account_balance(account.pk) == D("-10.00")


def test_a_file_left_running_by_a_lost_worker_is_imported_by_the_next_run(account):
    content = remit(
        "H,LOST,2026-01-05,KIOSK", f"P,L1,{account.number},10.00,CASH,,x", "T,1,10.00,0,0"
    )
    kept = payment_file_receive(content=content, name="kiosk.csv")
    PaymentFile.objects.filter(pk=kept.pk).update(status=PaymentFile.Status.RUNNING)
    assert payment_file_process(file_id=kept.pk).status == PaymentFile.Status.ACCEPTED
    assert Payment.objects.count() == 1


def test_a_counter_payment_received_after_today_is_refused(role_users, account):
    shift = shift_open(
        source=TenderSource.objects.get(code="MAIN"),
        cashier=role_users[Role.CASHIER],
        opening_float=D("200.00"),
    )
    with pytest.raises(ValidationError) as refused:
        payment_take(
            source=shift.source,
            shift=shift,
            received_on=today() + timedelta(days=1),
            tenders=[TenderLine("CASH", D("10.00"))],
            allocations=[(account, D("10.00"))],
            idempotency_key="future-1",
            created_by=shift.cashier,
        )
    assert "received_on" in refused.value.message_dict
    assert "after today" in refused.value.message_dict["received_on"][0]
    assert not Payment.objects.exists()


def test_a_background_import_that_fails_is_rejected_with_why_never_left_running(account):
    """The stored upload went missing before the worker reached it: the task
    fails, and the file says so instead of polling as "running" for ever."""
    from django.core.files.storage import default_storage

    from cashiering.tasks import payment_file_import as task

    content = remit(
        "H,GONE,2026-01-05,KIOSK", f"P,G1,{account.number},10.00,CASH,,x", "T,1,10.00,0,0"
    )
    kept = payment_file_receive(content=content, name="kiosk.csv")
    default_storage.delete(kept.original.name)
    with pytest.raises(FileNotFoundError):
        task.run(kept.pk)
    kept.refresh_from_db()
    assert kept.status == PaymentFile.Status.REJECTED
    assert "the import stopped (FileNotFoundError)" in kept.summary["errors"][0]["reason"]
    _nothing_posted()
    _every_rejected_file_says_why()

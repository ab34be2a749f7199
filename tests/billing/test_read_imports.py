"""Hostile and faulty read files and reads (issue 11, items 2 and 8): refused
with the line and field, never a 500, all or nothing, safe to run twice."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from accounts.models import MeterRead
from billing.models import ReadImport
from billing.services.reads import (
    read_import_process,
    read_import_receive,
    read_record,
    reads_import,
)
from mesa_cs.lib.dates import today
from mesa_cs.lib.roles import Role
from staffing.models import WorkItem
from tests.billing.conftest import START

pytestmark = pytest.mark.django_db
HEADER = "meter_number,read_on,register,source\n"
DAY = (START + timedelta(days=210)).isoformat()


def _saved(installation):
    return MeterRead.objects.filter(
        installation=installation, read_on__gt=START + timedelta(days=200)
    )


def faulty_lines():
    tomorrow = (today() + timedelta(days=1)).isoformat()
    return {
        "NaN": (f"W55500001,{DAY},NaN,handheld", "register 'NaN' is not a number"),
        "Infinity": (f"W55500001,{DAY},Infinity,handheld", "register 'Infinity' is not a number"),
        "30 digits": (f"W55500001,{DAY},{'9' * 30},handheld", "at most 10 digits before the point"),
        "3 places": (f"W55500001,{DAY},9070.125,handheld", "2 after"),
        "NUL byte": (f"W55500001,{DAY},90\x0070,handheld", "a NUL byte"),
        "a 200 kB field": (f"W55500001,{DAY},9070,{'h' * 200_000}", "cannot be read as CSV"),
        "after today": (
            f"W55500001,{tomorrow},9070,handheld",
            f"read_on {tomorrow} is after today",
        ),
        # The reason quotes the line; a card number typed as the register is
        # quoted masked, never as typed (the summary is stored and shown).
        "card number": (
            f"W55500001,{DAY},4111111111111111,handheld",
            "register '************1111'",
        ),
    }


CASES = [
    "NaN",
    "Infinity",
    "30 digits",
    "3 places",
    "NUL byte",
    "a 200 kB field",
    "after today",
    "card number",
]


@pytest.mark.parametrize("case", CASES)
def test_a_faulty_line_is_refused_with_its_line_through_the_service(meter, case):
    line, reason = faulty_lines()[case]
    report = reads_import(HEADER + line + "\n")
    assert [e["line"] for e in report.errors] == [2]
    assert reason in report.errors[0]["reason"], report.errors
    assert "4111111111111111" not in str(report.errors)
    assert not _saved(meter).exists()
    assert not WorkItem.objects.filter(kind="read_exception").exists()


@pytest.mark.parametrize("case", CASES)
def test_a_faulty_line_is_refused_with_its_line_through_the_upload_page(client_as, meter, case):
    line, reason = faulty_lines()[case]
    response = client_as(Role.BILLING).post(
        reverse("billing:reads_import"),
        {"file": SimpleUploadedFile("reads.csv", (HEADER + line + "\n").encode())},
    )
    assert response.status_code == 200
    errors = response.context["report"]["errors"]
    assert [e["line"] for e in errors] == [2] and reason in errors[0]["reason"]
    assert "Nothing in the file was saved" in response.content.decode()
    assert not _saved(meter).exists()
    kept = ReadImport.objects.get()
    assert kept.status == ReadImport.Status.REJECTED and kept.summary["errors"] == errors


def test_the_seen_future_read_is_not_held_with_a_work_item_due_next_year(meter):
    next_year = today().replace(day=1) + timedelta(days=400)
    report = reads_import(HEADER + f"W55500001,{next_year},72250,handheld\n")
    assert report.errors == [
        {"line": 2, "reason": f"read_on {next_year} is after today ({today()})"}
    ]
    assert not MeterRead.objects.filter(read_on=next_year).exists()
    assert not WorkItem.objects.filter(kind="read_exception").exists()


def test_a_file_whose_last_line_is_bad_records_nothing(meter):
    good = [
        f"W55500001,{(START + timedelta(days=200 + n)).isoformat()},{9060 + n},handheld"
        for n in range(1, 30)
    ]
    text = HEADER + "\n".join([*good, f"W55500001,{DAY},NaN,handheld"]) + "\n"
    report = reads_import(text)
    assert [e["line"] for e in report.errors] == [31]
    assert (report.accepted, report.held, report.duplicates) == (0, 0, 0)
    assert not _saved(meter).exists()


def test_a_database_refusal_records_nothing_and_names_the_line(meter):
    # A real refusal by PostgreSQL, of the kind no check foresaw.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION pytest_refuse_read() RETURNS trigger AS $$
            BEGIN
              IF NEW.register = 9075 THEN RAISE EXCEPTION 'read refused for the test'; END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER pytest_refuse_read BEFORE INSERT ON accounts_meterread
            FOR EACH ROW EXECUTE FUNCTION pytest_refuse_read();
            """
        )
    day2 = (START + timedelta(days=211)).isoformat()
    report = reads_import(HEADER + f"W55500001,{DAY},9070,handheld\nW55500001,{day2},9075,ami\n")
    [error] = report.errors
    assert error["line"] == 3 and "read refused for the test" in error["reason"]
    assert (report.accepted, report.held) == (0, 0)
    assert not _saved(meter).exists()


def test_an_oversize_file_is_refused_by_the_service(meter, settings):
    settings.IMPORT_MAX_BYTES = 100
    content = (HEADER + f"W55500001,{DAY},9070,handheld\n" * 5).encode()
    kept = read_import_process(import_id=read_import_receive(content=content, name="r.csv").pk)
    assert kept.status == ReadImport.Status.REJECTED
    assert kept.summary["errors"][0]["line"] == 1
    assert "files up to" in kept.summary["errors"][0]["reason"]
    assert not _saved(meter).exists()


def test_a_21_mb_upload_is_refused_on_the_form(client_as, meter):
    big = (HEADER + f"W55500001,{DAY},9070,handheld\n").encode() + b"#" * (21 * 1024 * 1024)
    response = client_as(Role.BILLING).post(
        reverse("billing:reads_import"), {"file": SimpleUploadedFile("big.csv", big)}
    )
    assert response.status_code == 400
    assert "The file is 21.0 MB; files up to 20.0 MB can be imported" in response.content.decode()
    assert not ReadImport.objects.exists() and not _saved(meter).exists()


def test_processing_an_import_twice_records_each_read_once(meter):
    content = (HEADER + f"W55500001,{DAY},9070,handheld\n").encode()
    kept = read_import_receive(content=content, name="reads.csv")
    assert kept.status == ReadImport.Status.PENDING
    first = read_import_process(import_id=kept.pk)
    assert first.status == ReadImport.Status.IMPORTED and first.summary["accepted"] == 1
    again = read_import_process(import_id=kept.pk)
    assert again.status == ReadImport.Status.IMPORTED and again.summary == first.summary
    # Left "running" by a worker that died, it is imported again without a second read.
    ReadImport.objects.filter(pk=kept.pk).update(status=ReadImport.Status.RUNNING)
    rerun = read_import_process(import_id=kept.pk)
    assert rerun.summary["duplicates"] == 1
    assert _saved(meter).count() == 1


def test_a_single_read_of_a_future_day_or_an_impossible_register_is_refused(meter):
    cases = [
        (today() + timedelta(days=1), D("9070"), "read_on"),
        (START + timedelta(days=210), D("NaN"), "register"),
        (START + timedelta(days=210), D("Infinity"), "register"),
        (START + timedelta(days=210), D("9" * 30), "register"),
    ]
    for read_on, register, field in cases:
        with pytest.raises(ValidationError) as refused:
            read_record(installation=meter, read_on=read_on, register=register, source="office")
        assert field in refused.value.message_dict, (read_on, register)
    assert not _saved(meter).exists()


def test_keyboard_entry_refuses_nan_and_future_reads_with_a_message(client_as, meter):
    client = client_as(Role.BILLING)
    for read_on, register, said in [
        (DAY, "NaN", "is not a number"),
        ((today() + timedelta(days=1)).isoformat(), "9072", "is after today"),
    ]:
        params = {"cycle": 1, "route": "", "read_on": read_on}
        response = client.post(
            reverse("billing:reads") + "?cycle=1", {**params, f"register-{meter.pk}": register}
        )
        assert response.status_code == 200
        assert said in response.content.decode()
    assert not _saved(meter).exists()


def test_a_background_import_that_fails_is_rejected_with_why_never_left_running(meter):
    from django.core.files.storage import default_storage

    from billing.tasks import read_import as task

    kept = read_import_receive(
        content=(HEADER + f"W55500001,{DAY},9070,handheld\n").encode(), name="r.csv"
    )
    default_storage.delete(kept.original.name)
    with pytest.raises(FileNotFoundError):
        task.run(kept.pk)
    kept.refresh_from_db()
    assert kept.status == ReadImport.Status.REJECTED
    assert "the import stopped (FileNotFoundError)" in kept.summary["errors"][0]["reason"]
    assert not _saved(meter).exists()

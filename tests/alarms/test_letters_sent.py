"""Each alarm event sends its letter, once, through the shared letters."""

import pytest

from accounts.models import Letter
from alarms.models import AlarmInvoice
from alarms.services.feed import feed_import
from alarms.services.notices import file_letters_send
from tests.alarms.conftest import feed

pytestmark = pytest.mark.django_db


def test_a_permit_sends_the_permit_letter(make_permit):
    permit = make_permit()
    letter = Letter.objects.get(account=permit.account)
    assert letter.kind == "alarm_permit_issued"
    assert permit.number in letter.body and "$20.00" in letter.body
    assert letter.contact.topic == "alarm"


def test_the_feed_sends_each_false_alarm_notice_with_the_count_and_next_fee(make_permit):
    permit = make_permit()
    _, kept = feed_import(
        content=feed(
            f"L-1,2026-03-05T10:00:00,1425 E University Dr,burglary,false,{permit.number}",
            f"L-2,2026-04-05T10:00:00,1425 E University Dr,burglary,false,{permit.number}",
        ),
        filename="cad.csv",
    )
    assert file_letters_send(file_id=kept.pk) == 2
    second = AlarmInvoice.objects.get(incident__incident_number="L-2")
    letter = Letter.objects.get(source_key=f"alarm-letter:{second.source_key}")
    assert letter.kind == "alarm_false_alarm"
    assert "2nd" in letter.body and "$100.00" in letter.body and "$150.00" in letter.body
    assert second.number in letter.body
    # Run again (a retried task): nothing is sent twice.
    file_letters_send(file_id=kept.pk)
    assert Letter.objects.filter(kind="alarm_false_alarm").count() == 2


def test_a_spanish_speaking_holder_gets_the_notice_in_spanish(make_permit):
    permit = make_permit(preferred_language="es")
    _, kept = feed_import(
        content=feed(f"S-1,2026-03-05T10:00:00,1425 E University Dr,panic,false,{permit.number}"),
        filename="cad.csv",
    )
    file_letters_send(file_id=kept.pk)
    letter = Letter.objects.get(kind="alarm_false_alarm")
    assert letter.language == "es" and "Pánico" in letter.body


def test_the_feeds_suspension_letter_goes_with_its_notices(make_permit):
    permit = make_permit()
    rows = [
        f"T-{n},2026-03-{n:02d}T10:00:00,1425 E University Dr,burglary,false,{permit.number}"
        for n in range(1, 11)
    ]
    summary, kept = feed_import(content=feed(*rows), filename="cad.csv")
    assert summary["suspensions"]
    assert not Letter.objects.filter(kind="alarm_suspended").exists()  # not inside the import
    file_letters_send(file_id=kept.pk)
    letter = Letter.objects.get(kind="alarm_suspended")
    assert permit.number in letter.body
    file_letters_send(file_id=kept.pk)
    assert Letter.objects.filter(kind="alarm_suspended").count() == 1

"""Yearly renewal: the notice and its invoice 60 days before expiry, the
next term once paid, a lapsed permit when not, and renewal at the counter."""

import json
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from accounts.models import JournalEntry
from accounts.selectors.ledger import account_balance
from accounts.services.ledger import payment_post
from alarms.models import AlarmInvoice, AlarmPermit
from alarms.services.renewals import permit_renew, renewals_run
from tests.alarms.conftest import PHOENIX

pytestmark = pytest.mark.django_db


@contextmanager
def at(day: date):
    """Mesa CS's today is ``day`` (noon in Phoenix)."""
    import time_machine

    with time_machine.travel(
        datetime(day.year, day.month, day.day, 12, tzinfo=PHOENIX), tick=False
    ):
        yield day


def test_the_notice_and_its_invoice_go_sixty_days_before_expiry(make_permit, on_today):
    due = make_permit(issued_on=date(2026, 1, 30))  # expires 01/29/2027: 60 days from today
    later = make_permit("200 W Main St", issued_on=date(2026, 1, 31))  # expires 01/30/2027
    before = account_balance(due.account_id)
    report = renewals_run(on=on_today)
    assert report == {
        "date": "2026-11-30",
        "renewal_notices": 1,
        "amount_invoiced": "20.00",
        "renewed": [],
        "expired": [],
    }
    invoice = AlarmInvoice.objects.get(kind="renewal")
    assert invoice.permit == due and invoice.account_id == due.account_id
    assert (invoice.issued_on, invoice.amount, invoice.term_ends_on) == (
        on_today,
        Decimal("20.00"),
        date(2028, 1, 29),
    )
    assert invoice.due_on > invoice.issued_on
    assert account_balance(due.account_id) == before + Decimal("20.00")
    assert not AlarmInvoice.objects.filter(permit=later, kind="renewal").exists()
    with at(date(2026, 12, 1)):
        assert renewals_run(on=date(2026, 12, 1))["renewal_notices"] == 1
    assert AlarmInvoice.objects.get(permit=later, kind="renewal").term_ends_on == date(2028, 1, 30)


def test_a_date_run_twice_does_nothing_new(make_permit, on_today):
    permit = make_permit(issued_on=date(2026, 1, 30))
    renewals_run(on=on_today)
    entries, balance = JournalEntry.objects.count(), account_balance(permit.account_id)
    again = renewals_run(on=on_today)
    assert again["renewal_notices"] == 0 and again["amount_invoiced"] == "0.00"
    assert JournalEntry.objects.count() == entries
    assert account_balance(permit.account_id) == balance
    assert AlarmInvoice.objects.filter(kind="renewal").count() == 1
    # Nor does the next day, still inside the 60 days.
    with at(date(2026, 12, 1)):
        assert renewals_run(on=date(2026, 12, 1))["renewal_notices"] == 0
    assert AlarmInvoice.objects.filter(kind="renewal").count() == 1


def test_a_paid_renewal_rolls_the_term_on_at_expiry(make_permit, on_today):
    permit = make_permit(issued_on=date(2026, 1, 30))
    renewals_run(on=on_today)
    payment_post(
        account=permit.account, amount=account_balance(permit.account_id), effective_on=on_today
    )
    assert account_balance(permit.account_id) == Decimal("0.00")
    with at(date(2027, 1, 29)):  # the last day of the term: nothing yet
        assert renewals_run(on=date(2027, 1, 29))["renewed"] == []
    with at(date(2027, 1, 30)):
        report = renewals_run(on=date(2027, 1, 30))
        assert report["renewed"] == [permit.number] and report["expired"] == []
        assert renewals_run(on=date(2027, 1, 30))["renewed"] == []
    permit.refresh_from_db()
    assert permit.status == "active" and permit.expires_on == date(2028, 1, 29)
    assert permit.issued_on == date(2026, 1, 30)
    assert permit.active_on(date(2027, 6, 1))
    assert account_balance(permit.account_id) == Decimal("0.00")


def test_an_unpaid_renewal_expires_the_permit(make_permit, on_today):
    permit = make_permit(issued_on=date(2026, 1, 30))
    renewals_run(on=on_today)
    with at(date(2027, 1, 30)):
        report = renewals_run(on=date(2027, 1, 30))
        assert report["expired"] == [permit.number] and report["renewed"] == []
    with at(date(2027, 1, 31)):
        assert renewals_run(on=date(2027, 1, 31))["expired"] == []
    permit.refresh_from_db()
    assert permit.status == "expired" and permit.status_since == date(2027, 1, 30)
    assert permit.expires_on == date(2027, 1, 29)
    assert not permit.active_on(date(2027, 1, 30))


def test_a_lapsed_permit_is_not_billed_for_the_term_it_never_had(make_permit, on_today):
    """The renewal fee buys the next term; a permit that lapsed has none, so
    the unpaid renewal invoice does not stay owed (a lapsed permit is no
    permit). Renewing at the counter later charges one fee, not two."""
    permit = make_permit(issued_on=date(2026, 1, 30))
    payment_post(account=permit.account, amount=Decimal("20.00"), effective_on=on_today)
    renewals_run(on=on_today)
    assert account_balance(permit.account_id) == Decimal("20.00")
    with at(date(2027, 1, 30)):
        renewals_run(on=date(2027, 1, 30))
    assert account_balance(permit.account_id) == Decimal("0.00")
    with at(date(2027, 3, 1)):
        permit_renew(permit=permit, on=date(2027, 3, 1))
    assert account_balance(permit.account_id) == Decimal("20.00")


def test_an_expired_permit_renews_at_the_counter_for_a_new_term(make_permit, on_today):
    permit = make_permit(issued_on=date(2025, 6, 1))  # expired 05/31/2026
    AlarmPermit.objects.filter(pk=permit.pk).update(status="expired")
    before = account_balance(permit.account_id)
    renewed = permit_renew(permit=permit, on=on_today)
    assert renewed.status == "active" and renewed.status_since == on_today
    assert (renewed.issued_on, renewed.expires_on) == (on_today, date(2027, 11, 29))
    assert account_balance(permit.account_id) == before + Decimal("20.00")
    invoice = AlarmInvoice.objects.get(permit=permit, kind="renewal")
    assert invoice.term_ends_on == date(2027, 11, 29) and invoice.amount == Decimal("20.00")
    with pytest.raises(ValidationError, match="only an expired permit"):
        permit_renew(permit=permit, on=on_today)
    assert AlarmInvoice.objects.filter(permit=permit, kind="renewal").count() == 1


def test_an_active_or_suspended_permit_is_not_renewed_at_the_counter(make_permit, on_today):
    permit = make_permit()
    with pytest.raises(ValidationError):
        permit_renew(permit=permit, on=on_today)
    AlarmPermit.objects.filter(pk=permit.pk).update(status="suspended")
    with pytest.raises(ValidationError):
        permit_renew(permit=permit, on=on_today)
    assert not AlarmInvoice.objects.filter(kind="renewal").exists()


def test_the_command_prints_the_report_as_json_and_refuses_a_future_date(
    make_permit, on_today, capsys
):
    permit = make_permit(issued_on=date(2026, 1, 30))
    call_command("renew_alarm_permits", "--date", "2026-11-30", "--json")
    printed = json.loads(capsys.readouterr().out)
    assert printed == {
        "date": "2026-11-30",
        "renewal_notices": 1,
        "amount_invoiced": "20.00",
        "renewed": [],
        "expired": [],
    }
    call_command("renew_alarm_permits", "--json")  # today, run again: nothing new
    assert json.loads(capsys.readouterr().out)["renewal_notices"] == 0
    with pytest.raises(CommandError, match="after today"):
        call_command("renew_alarm_permits", "--date", "2026-12-01", "--json")
    assert AlarmInvoice.objects.filter(permit=permit, kind="renewal").count() == 1

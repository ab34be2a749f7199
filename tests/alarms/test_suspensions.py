"""Suspension for fees more than 90 days past due (a stayed fee does not
count), reinstatement once paid, and research that finds who owes a fee."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Account, AccountPerson
from accounts.selectors.ledger import account_balance
from alarms.models import AlarmInvoice, AlarmPermit, Incident, Suspension
from alarms.services.appeals import appeal_decide, appeal_file
from alarms.services.feed import feed_import
from alarms.services.research import incident_research_resolve
from alarms.services.suspensions import permit_reinstate, permits_suspend_past_due
from staffing.models import WorkItem
from tests.alarms.conftest import feed
from tests.alarms.helpers import at, false_alarm, pay
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)
DUE = date(2026, 12, 30)  # a false alarm invoiced today falls due
DAY_90 = date(2027, 3, 30)  # 90 days past due: not yet
DAY_91 = date(2027, 3, 31)  # more than 90 days past due


@pytest.fixture
def owing(make_permit):
    """A permit whose fee is paid, with a $50.00 false alarm invoiced today."""
    permit = make_permit(issued_on=date(2026, 6, 1))  # expires 05/31/2027
    pay(permit.account, "20.00", TODAY)
    invoice = false_alarm(permit=permit)
    assert invoice.due_on == DUE
    return permit, invoice


def suspend(on):
    with at(on):
        return permits_suspend_past_due(on=on)


def test_fees_more_than_90_days_past_due_suspend_the_permit(owing):
    permit, _ = owing
    assert suspend(DAY_90) == []
    assert suspend(DAY_91) == [permit.number]
    permit.refresh_from_db()
    assert permit.status == "suspended" and permit.status_since == DAY_91
    suspension = Suspension.objects.get(permit=permit)
    assert (suspension.reason, suspension.started_on, suspension.ended_on) == (
        "past_due",
        DAY_91,
        None,
    )
    item = WorkItem.objects.get(kind="alarm_reinstatement", source_key=permit.number)
    assert item.status == "open" and item.account_id == permit.account_id
    # Safe to run twice.
    assert suspend(DAY_91) == []
    assert Suspension.objects.count() == 1
    assert WorkItem.objects.filter(kind="alarm_reinstatement").count() == 1


def test_a_fee_paid_in_time_suspends_nothing(owing):
    permit, _ = owing
    pay(permit.account, "50.00", date(2027, 1, 5))
    assert suspend(DAY_91) == []


def test_a_permit_entered_with_an_earlier_issue_date_is_not_past_due_at_once(make_permit):
    """A permit taken at the counter today, dated from 01/15/2026: its fee is
    invoiced today and falls due in 30 days, not 10 months ago."""
    permit = make_permit(issued_on=date(2026, 1, 15))
    invoice = AlarmInvoice.objects.get(permit=permit, kind="permit")
    assert invoice.issued_on == TODAY and invoice.due_on == DUE
    assert suspend(TODAY) == []
    permit.refresh_from_db()
    assert permit.status == "active"


def test_a_stayed_fee_does_not_count_until_the_appeal_is_decided(owing):
    permit, invoice = owing
    with at(TODAY):
        appeal = appeal_file(invoice=invoice, filed_on=TODAY, grounds="Power failure.")
    assert suspend(DAY_91) == []
    permit.refresh_from_db()
    assert permit.status == "active"
    with at(DAY_91):
        appeal_decide(
            appeal=appeal, outcome="upheld", reason="No proof.", on=DAY_91, by=UserFactory()
        )
    assert suspend(date(2027, 4, 1)) == [permit.number]


def test_a_waived_fee_leaves_nothing_to_suspend_for(owing):
    permit, invoice = owing
    with at(TODAY):
        appeal = appeal_file(invoice=invoice, filed_on=TODAY, grounds="Power failure.")
        appeal_decide(appeal=appeal, outcome="waived", reason="Outage.", on=TODAY, by=UserFactory())
    assert account_balance(permit.account_id) == Decimal("0.00")
    assert suspend(DAY_91) == []


def test_reinstatement_is_refused_while_owing_and_made_once_paid(owing):
    permit, _ = owing
    suspend(DAY_91)
    supervisor = UserFactory()
    with at(DAY_91), pytest.raises(ValidationError, match=r"\$50\.00"):
        permit_reinstate(permit=permit, on=DAY_91, by=supervisor)
    permit.refresh_from_db()
    assert permit.status == "suspended"
    assert WorkItem.objects.get(kind="alarm_reinstatement").status == "open"
    pay(permit.account, "50.00", DAY_91)
    with at(DAY_91):
        reinstated = permit_reinstate(
            permit=permit, on=DAY_91, by=supervisor, note="Paid at counter"
        )
    assert reinstated.status == "active" and reinstated.status_since == DAY_91
    suspension = Suspension.objects.get(permit=permit)
    assert suspension.ended_on == DAY_91 and suspension.reinstated_by == supervisor
    assert suspension.reinstatement_note == "Paid at counter"
    item = WorkItem.objects.get(kind="alarm_reinstatement")
    assert item.status == "closed" and item.closed_by == supervisor
    with at(DAY_91), pytest.raises(ValidationError, match="not suspended"):
        permit_reinstate(permit=permit, on=DAY_91, by=supervisor)


def test_reinstatement_after_the_term_ended_leaves_the_permit_expired(owing):
    permit, _ = owing
    suspend(DAY_91)
    pay(permit.account, "50.00", DAY_91)
    AlarmPermit.objects.filter(pk=permit.pk).update(expires_on=date(2027, 3, 31))
    with at(date(2027, 4, 2)):
        reinstated = permit_reinstate(permit=permit, on=date(2027, 4, 2), by=UserFactory())
    assert reinstated.status == "expired"


def test_a_reinstatement_dated_tomorrow_is_refused(owing):
    permit, _ = owing
    suspend(DAY_91)
    pay(permit.account, "50.00", DAY_91)
    with at(DAY_91), pytest.raises(ValidationError):
        permit_reinstate(permit=permit, on=date(2027, 4, 1), by=UserFactory())
    permit.refresh_from_db()
    assert permit.status == "suspended"


# Research: an incident no permit and no address matched.


@pytest.fixture
def unmatched(db, on_today):
    summary, _ = feed_import(
        content=feed("U-1,2026-11-01T10:00:00,99 W Nowhere Ln,burglary,false,"),
        filename="cad.csv",
    )
    incident = Incident.objects.get(incident_number="U-1")
    assert incident.research == "open" and not AlarmInvoice.objects.exists()
    return incident


def test_research_to_an_active_permit_invoices_the_false_alarm_only(unmatched, make_permit):
    permit = make_permit("99 W Nowhere Lane", issued_on=date(2026, 2, 1))
    before = account_balance(permit.account_id)
    by = UserFactory()
    incident = incident_research_resolve(incident=unmatched, by=by, permit=permit)
    assert (incident.research, incident.matched_by, incident.permit) == ("done", "research", permit)
    invoice = AlarmInvoice.objects.get(incident=incident)
    assert (invoice.account_id, invoice.permit, invoice.amount) == (
        permit.account_id,
        permit,
        Decimal("50.00"),
    )
    assert account_balance(permit.account_id) == before + Decimal("50.00")
    statuses = dict(incident.assessments.values_list("fee_type", "status"))
    assert statuses == {"false_alarm": "billed", "no_permit": "cancelled"}
    item = WorkItem.objects.get(kind="alarm_research", source_key="U-1")
    assert item.status == "closed" and permit.account.number in item.outcome
    with pytest.raises(ValidationError, match="not waiting"):
        incident_research_resolve(incident=incident, by=by, permit=permit)
    assert AlarmInvoice.objects.filter(incident=incident).count() == 1


def test_research_to_a_holder_without_a_permit_invoices_both_fees(unmatched):
    incident = incident_research_resolve(
        incident=unmatched,
        by=UserFactory(),
        holder_name="Pat Owner",
        mailing_address="500 S Elsewhere Ave",
        zip_code="85204",
    )
    invoice = AlarmInvoice.objects.get(incident=incident)
    assert invoice.amount == Decimal("150.00") and invoice.permit is None
    account = Account.objects.get(pk=invoice.account_id)
    assert account.kind == "alarm"
    assert account_balance(account.pk) == Decimal("150.00")
    person = AccountPerson.objects.get(account=account).person
    assert (person.first_name, person.last_name, person.mailing_line1) == (
        "Pat",
        "Owner",
        "500 S Elsewhere Ave",
    )
    assert set(incident.assessments.values_list("status", flat=True)) == {"billed"}


def test_research_to_a_permit_lapsed_on_the_day_keeps_the_no_permit_fee(unmatched, make_permit):
    permit = make_permit("99 W Nowhere Ln", issued_on=date(2025, 6, 1))  # ended 05/31/2026
    AlarmPermit.objects.filter(pk=permit.pk).update(status="expired")
    permit.refresh_from_db()
    incident_research_resolve(incident=unmatched, by=UserFactory(), permit=permit)
    assert AlarmInvoice.objects.get(incident=unmatched).amount == Decimal("150.00")


def test_research_needs_a_permit_or_a_holder(unmatched):
    with pytest.raises(ValidationError):
        incident_research_resolve(incident=unmatched, by=UserFactory(), holder_name="Pat Owner")
    unmatched.refresh_from_db()
    assert unmatched.research == "open" and not AlarmInvoice.objects.exists()


def test_a_tenth_burglary_suspension_is_reinstated_only_once_the_fees_are_paid(make_permit):
    permit = make_permit(issued_on=date(2026, 6, 1))
    pay(permit.account, "20.00", TODAY)
    rows = [
        f"B-{n},2026-11-{n:02d}T10:00:00,1425 E University Dr,burglary,false,{permit.number}"
        for n in range(1, 11)
    ]
    summary, _ = feed_import(content=feed(*rows), filename="cad.csv")
    assert [s["reason"] for s in summary["suspensions"]] == ["burglary_count"]
    owed = account_balance(permit.account_id)
    assert owed == Decimal("2650.00")  # 50 + 100 + ... + 300, then 4 x 400
    # The fees are not yet due, but they are owed: the permit stays suspended.
    with at(TODAY), pytest.raises(ValidationError, match=r"\$2,650\.00"):
        permit_reinstate(permit=permit, on=TODAY, by=UserFactory())
    permit.refresh_from_db()
    assert permit.status == "suspended"
    pay(permit.account, owed, TODAY)
    with at(TODAY):
        assert permit_reinstate(permit=permit, on=TODAY, by=UserFactory()).status == "active"


def test_a_researched_fee_with_no_permit_on_it_still_suspends_the_holders_permit(unmatched):
    from alarms.services.permits import Application, permit_apply

    incident = incident_research_resolve(
        incident=unmatched,
        by=UserFactory(),
        holder_name="Pat Owner",
        mailing_address="500 S Elsewhere Ave",
        zip_code="85204",
    )
    account = AlarmInvoice.objects.get(incident=incident).account
    # Months later the holder takes out a permit on the same alarm account;
    # its own fee is not yet due, so only the researched fee is overdue.
    with at(date(2027, 3, 1)) as later:
        permit = permit_apply(
            Application(
                holder_name="Pat Owner",
                customer_class="residential",
                address="500 S Elsewhere Ave",
                zip_code="85204",
                functions=["burglary"],
                issued_on=later,
                account=account,
            )
        )
    assert suspend(DAY_90) == []
    assert suspend(DAY_91) == [permit.number]

"""Appeals of false-alarm invoices: filed within 10 business days, heard
within 30 days, and a decision whose credit is a new ledger entry; the
no-permit assessment is never waived."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import JournalEntry
from accounts.selectors.ledger import account_balance
from alarms.models import AlarmInvoice, AlarmPermit, Appeal, Assessment
from alarms.services.appeals import appeal_decide, appeal_file, appeal_schedule
from staffing.models import WorkItem
from tests.alarms.helpers import at, false_alarm
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
INVOICED = date(2026, 11, 30)  # a Monday
LAST_DAY = date(2026, 12, 14)  # the 10th business day after it


def file(invoice, on=INVOICED, grounds="The alarm company was testing the system."):
    with at(on):
        return appeal_file(invoice=invoice, filed_on=on, grounds=grounds)


def decide(appeal, outcome, amount_upheld=None, on=INVOICED):
    with at(on):
        return appeal_decide(
            appeal=appeal,
            outcome=outcome,
            reason="Heard on the evidence.",
            on=on,
            by=UserFactory(),
            amount_upheld=amount_upheld,
        )


@pytest.fixture
def invoice(make_permit):
    """A $50.00 first burglary false alarm on a permit."""
    permit = make_permit()
    made = false_alarm(permit=permit)
    assert made.issued_on == INVOICED and made.amount == Decimal("50.00")
    return made


@pytest.fixture
def no_permit_invoice(make_permit):
    """$50.00 false alarm and $100.00 no-permit at a lapsed permit's premise."""
    permit = make_permit(issued_on=date(2025, 6, 1))
    AlarmPermit.objects.filter(pk=permit.pk).update(status="expired")
    made = false_alarm()
    assert made.amount == Decimal("150.00") and made.account_id == permit.account_id
    return made


def test_an_appeal_on_the_last_business_day_is_filed(invoice):
    appeal = file(invoice, on=LAST_DAY)
    assert appeal.status == "filed" and appeal.hearing_by == date(2027, 1, 13)
    item = WorkItem.objects.get(kind="alarm_appeal", source_key=str(appeal.pk))
    assert item.status == "open" and item.due_on == date(2027, 1, 13)
    assert item.account_id == invoice.account_id


def test_an_appeal_the_day_after_the_deadline_is_refused(invoice):
    with pytest.raises(ValidationError, match="12/14/2026"):
        file(invoice, on=date(2026, 12, 15))
    assert not Appeal.objects.exists()
    assert not WorkItem.objects.filter(kind="alarm_appeal").exists()


def test_a_weekend_does_not_count_toward_the_ten_days(invoice):
    # 10 calendar days after the invoice is a Thursday; the 10th business day is later.
    assert file(invoice, on=date(2026, 12, 12)).pk  # a Saturday, still in time


def test_an_invoice_is_appealed_once_and_only_a_false_alarm_one(invoice, make_permit):
    file(invoice)
    with pytest.raises(ValidationError, match="already been appealed"):
        file(invoice, on=date(2026, 12, 1))
    permit_fee = AlarmInvoice.objects.get(kind="permit", account_id=invoice.account_id)
    with pytest.raises(ValidationError, match="false-alarm"):
        file(permit_fee)


def test_an_appeal_dated_tomorrow_or_before_the_invoice_is_refused(invoice):
    with at(INVOICED), pytest.raises(ValidationError):
        appeal_file(invoice=invoice, filed_on=date(2026, 12, 1), grounds="Testing.")
    with pytest.raises(ValidationError):
        file(invoice, on=date(2026, 11, 29))
    with pytest.raises(ValidationError):
        file(invoice, grounds="   ")


def test_the_hearing_is_within_30_days_of_filing(invoice):
    appeal = file(invoice, on=date(2026, 12, 1))
    assert appeal.hearing_by == date(2026, 12, 31)
    with pytest.raises(ValidationError, match="within 30 days"):
        appeal_schedule(appeal=appeal, hearing_on=date(2027, 1, 1), hearing_time=time(9, 30))
    with pytest.raises(ValidationError):
        appeal_schedule(appeal=appeal, hearing_on=date(2026, 11, 30), hearing_time=time(9, 30))
    scheduled = appeal_schedule(
        appeal=appeal, hearing_on=date(2026, 12, 31), hearing_time=time(9, 30)
    )
    assert scheduled.status == "scheduled" and scheduled.hearing_on == date(2026, 12, 31)
    assert scheduled.hearing_place  # the Police Department's, by default


def _charge_legs(entry):
    return sorted(entry.legs.values_list("gl_account_id", "account_id", "amount"))


def test_waived_credits_the_fee_as_a_new_adjustment(invoice):
    appeal = file(invoice)
    before = account_balance(invoice.account_id)
    legs = _charge_legs(invoice.entry)
    decided = decide(appeal, "waived")
    assert decided.status == "decided" and decided.amount_upheld == Decimal("0.00")
    assert account_balance(invoice.account_id) == before - Decimal("50.00")
    credit = decided.credit_entry
    assert credit.kind == JournalEntry.Kind.ADJUSTMENT and credit.account_id == invoice.account_id
    assert credit.pk != invoice.entry_id
    # The charge stands as it was posted.
    invoice.refresh_from_db()
    assert _charge_legs(invoice.entry) == legs
    assert not JournalEntry.objects.filter(reverses=invoice.entry).exists()
    assert invoice.amount == Decimal("50.00")
    assert invoice.assessments.get(fee_type="false_alarm").status == "waived"
    item = WorkItem.objects.get(kind="alarm_appeal", source_key=str(appeal.pk))
    assert item.status == "closed" and "Waived" in item.outcome


def test_upheld_leaves_the_balance_and_posts_nothing(invoice):
    appeal = file(invoice)
    before, entries = account_balance(invoice.account_id), JournalEntry.objects.count()
    decided = decide(appeal, "upheld")
    assert decided.amount_upheld == Decimal("50.00") and decided.credit_entry is None
    assert account_balance(invoice.account_id) == before
    assert JournalEntry.objects.count() == entries
    assert WorkItem.objects.get(kind="alarm_appeal").status == "closed"


def test_reduced_credits_the_difference(invoice):
    appeal = file(invoice)
    before = account_balance(invoice.account_id)
    decided = decide(appeal, "reduced", amount_upheld=Decimal("20.00"))
    assert decided.amount_upheld == Decimal("20.00")
    assert account_balance(invoice.account_id) == before - Decimal("30.00")
    assert decided.credit_entry.kind == JournalEntry.Kind.ADJUSTMENT
    assert invoice.assessments.get(fee_type="false_alarm").status == "reduced"


@pytest.mark.parametrize("amount", ["50.00", "60.00", "-1.00"])
def test_a_reduction_must_be_less_than_the_invoice(invoice, amount):
    appeal = file(invoice)
    before = account_balance(invoice.account_id)
    with pytest.raises(ValidationError):
        decide(appeal, "reduced", amount_upheld=Decimal(amount))
    assert account_balance(invoice.account_id) == before
    assert Appeal.objects.get().status == "filed"


def test_a_decided_appeal_is_not_decided_again(invoice):
    appeal = file(invoice)
    decide(appeal, "waived")
    balance = account_balance(invoice.account_id)
    with pytest.raises(ValidationError, match="already been decided"):
        decide(appeal, "waived")
    with pytest.raises(ValidationError):
        appeal_schedule(appeal=appeal, hearing_on=date(2026, 12, 2), hearing_time=time(9))
    assert account_balance(invoice.account_id) == balance


def test_waived_leaves_the_no_permit_assessment_standing(no_permit_invoice):
    appeal = file(no_permit_invoice)
    before = account_balance(no_permit_invoice.account_id)
    decided = decide(appeal, "waived")
    assert decided.amount_upheld == Decimal("100.00")
    assert account_balance(no_permit_invoice.account_id) == before - Decimal("50.00")
    statuses = dict(no_permit_invoice.assessments.values_list("fee_type", "status"))
    assert statuses == {"false_alarm": "waived", "no_permit": "billed"}


def test_a_reduction_below_the_no_permit_assessment_is_refused(no_permit_invoice):
    appeal = file(no_permit_invoice)
    before = account_balance(no_permit_invoice.account_id)
    with pytest.raises(ValidationError, match="no-permit"):
        decide(appeal, "reduced", amount_upheld=Decimal("99.99"))
    assert account_balance(no_permit_invoice.account_id) == before
    decided = decide(appeal, "reduced", amount_upheld=Decimal("100.00"))
    assert account_balance(no_permit_invoice.account_id) == before - Decimal("50.00")
    assert decided.amount_upheld == Decimal("100.00")


def test_a_no_permit_only_invoice_cannot_be_waived(make_permit):
    permit = make_permit(issued_on=date(2025, 6, 1))
    AlarmPermit.objects.filter(pk=permit.pk).update(status="expired")
    # A first panic false alarm is free; without a permit it still costs $100.00.
    invoice = false_alarm(alarm_type="panic")
    assert invoice.amount == Decimal("100.00")
    appeal = file(invoice)
    before, entries = account_balance(invoice.account_id), JournalEntry.objects.count()
    with pytest.raises(ValidationError, match="no-permit"):
        decide(appeal, "waived")
    with pytest.raises(ValidationError, match="no-permit"):
        decide(appeal, "reduced", amount_upheld=Decimal("0.00"))
    assert account_balance(invoice.account_id) == before
    assert JournalEntry.objects.count() == entries
    assert set(invoice.assessments.values_list("status", flat=True)) == {"billed"}
    assert Appeal.objects.get().status == "filed"
    assert decide(appeal, "upheld").amount_upheld == Decimal("100.00")


def test_a_decision_cannot_be_dated_before_the_appeal(invoice):
    appeal = file(invoice, on=date(2026, 12, 2))
    with pytest.raises(ValidationError):
        decide(appeal, "waived", on=date(2026, 12, 1))
    assert Appeal.objects.get().status == "filed"
    assert Assessment.objects.get(fee_type="false_alarm").status == "billed"

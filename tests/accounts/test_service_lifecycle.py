"""Start → bill → stop → final bill → deposit applied → refund, as services;
transfers; deposits credited back after on-time bills; meter tests."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Deposit, FieldActivity, Meter, MeterInstallation, ServicePoint
from accounts.selectors import account_balance, deposit_held
from accounts.services import meter_read_add, payment_post
from accounts.services.deposits import deposit_release, installment_amounts
from accounts.services.field import field_activity_complete, field_activity_order
from accounts.services.orders import service_stop, service_transfer
from accounts.services.start import ServiceRequest, service_start
from billing.models import Adjustment, Bill
from billing.rules.ratebook import shipped_ratebook
from billing.services.bills import bill_issue
from billing.services.final import accounts_awaiting_final_bill, final_bill_issue
from billing.services.meter_tests import meter_test_adjust
from billing.services.rates import ratebook_from_db, ratebook_load
from cashiering.models import CreditRefund
from credit.services.deposits import deposits_review, on_time_bills
from staffing.models import WorkItem
from tests.factories import PersonFactory, UserFactory, premise

pytestmark = pytest.mark.django_db
START = date(2026, 8, 3)


def metered_home(address, meter_number, zip_code="85213", register="1000"):
    place = premise(address, zip_code)
    point = ServicePoint.objects.create(premise=place, utility="water")
    meter = Meter.objects.create(
        number=meter_number, utility="water", size="3/4", dials=5, status="installed"
    )
    MeterInstallation.objects.create(
        meter=meter, service_point=point, installed_on=date(2020, 1, 1), install_read=D(register)
    )
    return place


@pytest.fixture
def clerk():
    return UserFactory()


@pytest.fixture
def started(clerk):
    """A newcomer (so a $50.00 deposit) starts water and trash on START; the
    crew turns the water on that day at 1000."""
    ratebook_load(shipped_ratebook())
    home = metered_home("2255 E Brown Rd", "W55500001")
    outcome = service_start(
        person=PersonFactory(),
        premise=home,
        starts_on=START,
        ordered_by=clerk,
        services=[
            ServiceRequest("water", "W1.1"),
            ServiceRequest("solid_waste", "SW1.1", containers=1),
        ],
    )
    connect = FieldActivity.objects.get(account=outcome.account, kind="connect")
    field_activity_complete(
        activity_id=connect.pk, completed_by=clerk, completed_on=START, register=D("1000")
    )
    return outcome.account


def read(account, on, register):
    installation = MeterInstallation.objects.get(
        service_point__agreements__account=account,
        service_point__agreements__status__in=["active", "final"],
        removed_on__isnull=True,
    )
    meter_read_add(installation=installation, read_on=on, register=D(register), source="test")


def letter_kinds(account):
    return sorted(account.letters.values_list("kind", flat=True))


def regular_bill(account, period_end, register):
    read(account, period_end, register)
    return bill_issue(
        account=account,
        period_end=period_end,
        bill_on=period_end + timedelta(days=2),
        book=ratebook_from_db(),
    )


def test_start_bill_stop_final_bill_deposit_applied_refund(started, clerk):
    account = started
    assert letter_kinds(account) == ["deposit_required", "welcome"]
    # Set-up $11.00 + water connection $20.00 + deposit $50.00, paid at once.
    assert account_balance(account.pk) == D("81.00")
    payment_post(account=account, amount=D("81.00"), effective_on=START)
    assert deposit_held(account.pk) == D("50.00")

    first = regular_bill(account, date(2026, 9, 2), "1006")
    assert first.amount_due == first.current_charges > 0
    payment_post(account=account, amount=first.amount_due, effective_on=date(2026, 9, 10))

    service_stop(account=account, stops_on=date(2026, 9, 20), ordered_by=clerk)
    final_read = FieldActivity.objects.get(account=account, kind="final_read")
    assert final_read.scheduled_on == date(2026, 9, 20)
    # Trash ended on the stop date; water runs until the crew reads it.
    assert accounts_awaiting_final_bill() == []
    field_activity_complete(
        activity_id=final_read.pk,
        completed_by=clerk,
        completed_on=date(2026, 9, 20),
        register=D("1010"),
    )
    assert accounts_awaiting_final_bill() == [account.pk]

    bill = final_bill_issue(account_id=account.pk, by=clerk, on=date(2026, 9, 21))
    # Prorated: 18 days of service after the last bill's read of 09/02.
    assert (bill.period_start, bill.period_end) == (date(2026, 9, 2), date(2026, 9, 20))
    segment = bill.segments.get(utility="water")
    assert segment.usage == D("4") and (segment.end - segment.start).days == 18
    # The deposit was credited before the bill, which shows it.
    assert bill.other_charges == D("-50.00")
    assert bill.amount_due == bill.current_charges - D("50.00") < 0
    assert deposit_held(account.pk) == D("0.00")
    assert Deposit.objects.get(account=account).status == "applied"
    refund = CreditRefund.objects.get(account=account)
    assert refund.amount == -bill.amount_due and refund.status == "pending"
    account.refresh_from_db()
    assert account.status == "final"
    assert set(account.agreements.values_list("status", flat=True)) == {"closed"}
    # Issuing again changes nothing.
    final_bill_issue(account_id=account.pk, by=clerk)
    assert Bill.objects.filter(account=account).count() == 2
    assert CreditRefund.objects.filter(account=account).count() == 1
    assert letter_kinds(account) == ["deposit_required", "final_bill", "welcome"]
    final_letter = account.letters.get(kind="final_bill")
    assert "$50.00" in final_letter.body and "credit" in final_letter.body.lower()
    assert accounts_awaiting_final_bill() == []


def test_an_unpaid_final_bill_goes_to_credit_services(started, clerk):
    account = started
    service_stop(account=account, stops_on=date(2026, 8, 20), ordered_by=clerk)
    order = FieldActivity.objects.get(account=account, kind="final_read")
    field_activity_complete(
        activity_id=order.pk, completed_by=clerk, completed_on=date(2026, 8, 20), register=D("1003")
    )
    before = account_balance(account.pk)  # fees and the deposit, none paid
    bill = final_bill_issue(account_id=account.pk, by=clerk, on=date(2026, 8, 21))
    # The unpaid deposit is cancelled by applying it; what remains is owed.
    assert account_balance(account.pk) == before + bill.current_charges - D("50.00")
    item = WorkItem.objects.get(account=account, kind="final_bill_collection")
    assert item.section == "credit" and str(account_balance(account.pk)) in item.title
    assert not CreditRefund.objects.filter(account=account).exists()


def test_a_stop_before_the_start_and_a_second_start_are_refused(started, clerk):
    with pytest.raises(ValidationError, match="is before .* service started on 08/03/2026"):
        service_stop(account=started, stops_on=START - timedelta(days=1), ordered_by=clerk)
    assert not FieldActivity.objects.filter(kind="final_read").exists()
    home = started.agreements.first().premise
    with pytest.raises(ValidationError, match="stop or transfer it first"):
        service_start(
            person=PersonFactory(),
            premise=home,
            starts_on=START,
            services=[ServiceRequest("water", "W1.1")],
        )


def test_stopping_a_service_never_turned_on_cancels_its_order(clerk):
    ratebook_load(shipped_ratebook())
    home = metered_home("610 N Date", "W55500009", zip_code="85201")
    account = service_start(
        person=PersonFactory(),
        premise=home,
        starts_on=START,
        ordered_by=clerk,
        services=[ServiceRequest("water", "W1.1")],
    ).account
    service_stop(account=account, stops_on=START, ordered_by=clerk)
    assert account.agreements.get().status == "cancelled"
    assert FieldActivity.objects.get(account=account, kind="connect").status == "cancelled"


def test_a_transfer_keeps_the_balance_and_the_deposit_exact(started, clerk):
    account = started
    payment_post(account=account, amount=D("81.00"), effective_on=START)
    first = regular_bill(account, date(2026, 9, 2), "1006")
    balance = account_balance(account.pk)
    assert balance == first.current_charges
    new_home = metered_home("3140 S Power Rd", "W55500002", zip_code="85212", register="500")
    outcome = service_transfer(
        account=account,
        from_premise=first.segments.first().service_agreement.premise,
        to_premise=new_home,
        stops_on=date(2026, 9, 15),
        starts_on=date(2026, 9, 15),
        services=[
            ServiceRequest("water", "W1.1"),
            ServiceRequest("solid_waste", "SW1.1", containers=1),
        ],
        ordered_by=clerk,
    )
    # Only the new water connection is charged: the balance carries exactly.
    assert account_balance(account.pk) == balance + D("20.00")
    assert deposit_held(account.pk) == D("50.00")
    assert len(outcome.stop_orders) == 1 and outcome.stop_orders[0].kind == "final_read"
    statuses = dict(account.agreements.values_list("premise__zip_code", "status").distinct())
    assert statuses["85212"] == "pending"
    # The old trash service ended; old water ends with its final read.
    old = account.agreements.filter(premise__zip_code="85213")
    assert set(old.values_list("utility", "status")) == {
        ("solid_waste", "final"),
        ("water", "active"),
    }
    # Nothing is final-billed: the account still has service.
    assert accounts_awaiting_final_bill() == []
    with pytest.raises(ValidationError, match="not the one being left"):
        service_transfer(
            account=account,
            from_premise=new_home,
            to_premise=new_home,
            stops_on=START,
            starts_on=START,
            services=[ServiceRequest("water", "W1.1")],
        )


def test_installments_and_bonds(clerk):
    assert installment_amounts(D("100.00"), 3) == [D("33.34"), D("33.33"), D("33.33")]
    ratebook_load(shipped_ratebook())
    home = metered_home("100 W Main St", "W55500003", zip_code="85201")
    split = service_start(
        person=PersonFactory(),
        premise=home,
        starts_on=START,
        ordered_by=clerk,
        services=[ServiceRequest("water", "W1.1")],
        deposit_installments=2,
    )
    entries = split.account.entries.filter(kind="deposit").order_by("effective_on")
    assert [(e.effective_on, e.due_on) for e in entries] == [
        (START, START + timedelta(days=21)),
        (START + timedelta(days=30), START + timedelta(days=51)),
    ]
    other = metered_home("200 W Main St", "W55500004", zip_code="85201")
    bonded = service_start(
        person=PersonFactory(),
        premise=other,
        starts_on=START,
        ordered_by=clerk,
        customer_class="commercial",
        estimated_highest_month=D("400.00"),
        services=[ServiceRequest("water", "W3.1")],
        bond_reference="SB-1234",
    )
    assert bonded.deposit.form == "bond" and bonded.deposit.amount == D("1000.00")
    assert not bonded.account.entries.filter(kind="deposit").exists()


def test_a_deposit_is_not_refunded_while_anything_is_past_due(started, clerk):
    # Set-up and connection fees were due on the start date and are unpaid.
    with pytest.raises(ValidationError, match="past due"):
        deposit_release(
            account=started, on=START + timedelta(days=40), outcome="credited", by=clerk
        )
    assert Deposit.objects.get(account=started).status == "open"


def _twelve_bills(account, paid_late: set[int] = frozenset()):
    payment_post(account=account, amount=D("81.00"), effective_on=START)
    period_end, register = date(2026, 9, 2), 1000
    for n in range(12):
        register += 5
        bill = regular_bill(account, period_end, str(register))
        paid_on = bill.due_on + timedelta(days=3 if n in paid_late else -1)
        payment_post(account=account, amount=bill.current_charges, effective_on=paid_on)
        period_end += timedelta(days=30)
    return period_end


def test_the_daily_job_credits_the_deposit_after_twelve_on_time_bills_once(started):
    today = _twelve_bills(started)
    assert on_time_bills(started.pk, since=START, as_of=today) == 12
    before = account_balance(started.pk)
    first = deposits_review(on=today)
    assert first.credited == [started.pk]
    assert account_balance(started.pk) == before - D("50.00")
    assert Deposit.objects.get(account=started).status == "credited"
    again = deposits_review(on=today)
    assert again.credited == [] and account_balance(started.pk) == before - D("50.00")
    refund_letter = started.letters.get(kind="deposit_refund")
    assert "$50.00" in refund_letter.body


def test_a_late_bill_resets_the_run(started):
    today = _twelve_bills(started, paid_late={7})
    assert on_time_bills(started.pk, since=START, as_of=today) == 4
    assert deposits_review(on=today).credited == []
    assert Deposit.objects.get(account=started).status == "open"


def test_a_fast_meter_test_credits_the_overbilled_usage_once(started, clerk):
    payment_post(account=started, amount=D("81.00"), effective_on=START)
    bill = regular_bill(started, date(2026, 9, 2), "1020")
    usage = sum(
        line.amount
        for line in bill.segments.get(utility="water").lines.all()
        if line.kind in ("per_unit", "tiered")
    )
    sa = started.agreements.get(utility="water")
    test = field_activity_order(
        kind="meter_test",
        account=started,
        premise=sa.premise,
        service_point=sa.service_point,
        agreement=sa,
        scheduled_on=date(2026, 9, 10),
        ordered_by=clerk,
    )
    field_activity_complete(
        activity_id=test.pk,
        completed_by=clerk,
        completed_on=date(2026, 9, 10),
        meter_error_percent=D("5.00"),
    )
    adjustment = meter_test_adjust(activity_id=test.pk, by=clerk)
    assert adjustment.amount == -(usage * 5 / 105).quantize(D("0.01"))
    assert adjustment.reason == Adjustment.Reason.METER_ERROR
    assert meter_test_adjust(activity_id=test.pk, by=clerk).pk == adjustment.pk
    assert Adjustment.objects.filter(account=started).count() == 1


def test_a_letter_turned_off_is_not_sent_but_the_start_goes_on(clerk):
    from accounts.models import LetterTemplate

    LetterTemplate.objects.filter(kind="welcome").update(active=False)
    ratebook_load(shipped_ratebook())
    home = metered_home("300 W Main St", "W55500005", zip_code="85201")
    account = service_start(
        person=PersonFactory(),
        premise=home,
        starts_on=START,
        ordered_by=clerk,
        services=[ServiceRequest("water", "W1.1")],
    ).account
    assert letter_kinds(account) == ["deposit_required"]

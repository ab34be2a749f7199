from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from accounts.models import FieldActivity, JournalEntry, ServiceAgreement, ServicePoint
from accounts.selectors import account_balance, deposit_held
from accounts.services import payment_post
from accounts.services.start import (
    ServiceRequest,
    connection_fees,
    credit_history,
    deposit_required,
    service_start,
)
from tests.factories import AccountFactory, PersonFactory, UserFactory, premise

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 20)


@pytest.fixture
def home():
    place = premise("2255 E Brown Rd", "85213")
    for utility in ("water", "gas"):
        ServicePoint.objects.create(premise=place, utility=utility)
    return place


def test_connection_fees_follow_the_facts():
    assert connection_fees(["water", "gas", "electric", "solid_waste"], same_day=False) == [
        ("water", D("20.00")),
        ("gas", D("40.00")),
        ("electric", D("20.00")),
    ]
    assert connection_fees(["water"], same_day=True) == [("water", D("55.00"))]


def test_a_new_customer_pays_the_residential_deposit_and_a_known_good_one_does_not():
    newcomer = PersonFactory()
    amount, reasons = deposit_required(person=newcomer, customer_class="residential", on=DAY)
    assert amount == D("50.00") and "no 12-month payment history" in reasons[0]
    regular = PersonFactory()
    AccountFactory().links.create(person=regular, role="main", starts_on=date(2024, 1, 1))
    assert deposit_required(person=regular, customer_class="residential", on=DAY) == (D("0"), [])
    assert credit_history(regular, DAY).months_with_city >= 12


def test_commercial_deposit_is_two_and_a_half_highest_months():
    amount, _ = deposit_required(
        person=PersonFactory(),
        customer_class="commercial",
        on=DAY,
        estimated_highest_month=D("412.40"),
    )
    assert amount == D("1031.00")


def test_starting_service_opens_the_account_charges_fees_and_deposit_and_orders_turn_ons(home):
    person = PersonFactory()
    outcome = service_start(
        person=person,
        premise=home,
        starts_on=DAY,
        ordered_by=UserFactory(),
        services=[
            ServiceRequest("water", "W1.1"),
            ServiceRequest("wastewater", "S1.1"),
            ServiceRequest("solid_waste", "SW1.1", containers=1),
            ServiceRequest("gas", "G1.1"),
        ],
    )
    account = outcome.account
    assert account.links.get().person == person
    # $11.00 set-up + $20.00 water + $40.00 gas + $50.00 deposit
    assert account_balance(account.pk) == D("121.00") and outcome.fees == D("71.00")
    # Billed, not yet paid: nothing is held until the customer pays it.
    assert deposit_held(account.pk) == D("0.00")
    payment_post(account=account, amount=D("121.00"), effective_on=DAY)
    assert deposit_held(account.pk) == D("50.00")
    assert outcome.deposit.amount == D("50.00") and outcome.deposit.status == "open"
    orders = FieldActivity.objects.filter(account=account, kind="connect")
    assert {o.service_point.utility for o in orders} == {"water", "gas"}
    statuses = dict(account.agreements.values_list("utility", "status"))
    assert statuses["water"] == "pending" and statuses["solid_waste"] == "active"
    assert JournalEntry.objects.filter(account=account, kind="fee").count() == 1


def test_a_premise_with_active_service_must_be_stopped_first(home):
    other = AccountFactory()
    ServiceAgreement.objects.create(
        account=other,
        premise=home,
        utility="water",
        rate_schedule="W1.1",
        starts_on=date(2020, 1, 1),
    )
    with pytest.raises(ValidationError, match="stop or transfer it first"):
        service_start(
            person=PersonFactory(),
            premise=home,
            starts_on=DAY,
            services=[ServiceRequest("water", "W1.1")],
        )


def test_a_start_enrols_the_customer_in_assistance_programs_with_their_dates(home):
    ServicePoint.objects.create(premise=home, utility="electric")
    outcome = service_start(
        person=PersonFactory(),
        premise=home,
        starts_on=DAY,
        services=[ServiceRequest("water", "W1.1"), ServiceRequest("electric", "E1.1")],
        programs=["SEA", "LISR"],
        program_verified_by="Ana at the counter",
    )
    enrolments = {e.program: e for e in outcome.account.enrolments.all()}
    # SEA asked for in November starts with next summer's season.
    assert (enrolments["SEA"].starts_on, enrolments["SEA"].ends_on) == (
        date(2027, 7, 1),
        date(2027, 9, 30),
    )
    assert enrolments["LISR"].starts_on == DAY and enrolments["LISR"].ends_on > DAY
    assert enrolments["LISR"].verified_by == "Ana at the counter"
    assert outcome.enrolments == list(outcome.account.enrolments.order_by("pk"))


@pytest.mark.parametrize(
    ("services", "customer_class", "programs", "verified_by", "field", "message"),
    [
        (
            ["water"],
            "residential",
            ["SEA"],
            "Ana",
            "programs",
            "Summer Electric Assistance needs electric service started.",
        ),
        (
            ["electric"],
            "residential",
            ["LISR"],
            "Ana",
            "programs",
            "Limited Income Senior Rate needs water service started.",
        ),
        (
            ["water"],
            "commercial",
            ["LISR"],
            "Ana",
            "programs",
            "Assistance programs are for residential customers.",
        ),
        (
            ["water"],
            "residential",
            ["LISR"],
            " ",
            "program_verified_by",
            "Say who verified the customer's eligibility.",
        ),
    ],
)
def test_an_enrolment_the_start_cannot_carry_is_refused_and_nothing_is_saved(
    home, services, customer_class, programs, verified_by, field, message
):
    ServicePoint.objects.create(premise=home, utility="electric")
    schedules = {"water": "W1.1" if customer_class == "residential" else "W3.1", "electric": "E1.1"}
    with pytest.raises(ValidationError) as refused:
        service_start(
            person=PersonFactory(),
            premise=home,
            starts_on=DAY,
            customer_class=customer_class,
            estimated_highest_month=D("100.00"),
            services=[ServiceRequest(u, schedules[u]) for u in services],
            programs=programs,
            program_verified_by=verified_by,
        )
    assert message in refused.value.message_dict[field]
    assert not ServiceAgreement.objects.exists()


def test_a_premise_whose_service_is_being_stopped_says_when_it_frees_up(home):
    """The clerk stopped the old customer as told; the start then says the
    service ends with the crew's final read, not "stop it first" again."""
    from accounts.services.field import field_activity_order

    other = AccountFactory()
    old = ServiceAgreement.objects.create(
        account=other,
        premise=home,
        utility="water",
        rate_schedule="W1.1",
        starts_on=date(2020, 1, 1),
        service_point=ServicePoint.objects.get(premise=home, utility="water"),
    )
    field_activity_order(
        kind=FieldActivity.Kind.FINAL_READ,
        account=other,
        premise=home,
        service_point=old.service_point,
        agreement=old,
        scheduled_on=DAY,
    )
    with pytest.raises(ValidationError) as refused:
        service_start(
            person=PersonFactory(),
            premise=home,
            starts_on=DAY,
            services=[ServiceRequest("water", "W1.1")],
        )
    message = " ".join(refused.value.messages)
    assert "stop or transfer it first" not in message
    assert f"is being stopped on account {other.number}" in message
    assert "final read ordered for 11/20/2026" in message

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import JournalEntry
from accounts.services import Charge, charges_post
from billing.models import Bill, BillSegment
from billing.rules.ratebook import shipped_ratebook
from billing.services.rates import ratebook_load
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory, agreement, premise

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rates():
    ratebook_load(shipped_ratebook())


def test_the_calculator_explains_each_line_across_a_rate_change(client_as):
    params = {
        "schedule": "W1.1",
        "start": "2026-01-12",
        "end": "2026-02-11",
        "usage": "12",
        "meter_size": "3/4",
        "quantity": "1",
    }
    html = client_as(Role.CLERK).get(reverse("billing:calculator"), params).content.decode()
    assert "71.56" in html
    assert "29.23 × 19/30 days" in html
    assert "19 of 30 days at the rates effective 02/01/2025" in html


def _last_years_bill(account):
    """A bill read on 02/11/2025: water $65.00, electric $120.00, fees $15.00."""
    entry = charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=date(2025, 2, 13),
        description="Bill",
        charges=[
            Charge(D("65.00"), "water", "W1.1"),
            Charge(D("120.00"), "electric", "E1.1"),
            Charge(D("15.00"), revenue_purpose="fees"),
        ],
    )
    bill = Bill.objects.create(
        account=account,
        period_start=date(2025, 1, 12),
        period_end=date(2025, 2, 11),
        bill_on=date(2025, 2, 13),
        due_on=date(2025, 3, 6),
        previous_balance=D(0),
        payments=D(0),
        other_charges=D("15.00"),
        current_charges=D("185.00"),
        amount_due=D("200.00"),
        entry=entry,
    )
    home = premise()
    for utility, schedule, usage, unit, total in (
        ("water", "W1.1", D(11), "kgal", D("65.00")),
        ("electric", "E1.1", D(900), "kWh", D("120.00")),
    ):
        BillSegment.objects.create(
            bill=bill,
            service_agreement=agreement(account, utility, schedule, premise_obj=home),
            utility=utility,
            rate_schedule=schedule,
            start=date(2025, 1, 12),
            end=date(2025, 2, 11),
            usage=usage,
            unit=unit,
            total=total,
        )
    return bill


CALCULATION = {
    "schedule": "W1.1",
    "start": "2026-01-12",
    "end": "2026-02-11",
    "usage": "12",
    "meter_size": "3/4",
    "quantity": "1",
}


def test_the_calculator_compares_with_the_same_services_charges_last_year(client_as):
    # Issue 13 item 6: it compared a water calculation with the whole bill
    # (water, electric and fees: $200.00), not last year's water charges.
    account = AccountFactory()
    _last_years_bill(account)
    params = {**CALCULATION, "account": account.number}
    html = client_as(Role.CLERK).get(reverse("billing:calculator"), params).content.decode()
    assert "water charges read in February 2025" in html
    assert "<strong>$65.00</strong>" in html and "$6.56 higher" in html
    assert "11 kgal" in html and "$200.00" not in html and "$185.00" not in html


def test_the_calculator_says_when_last_year_had_no_such_service(client_as):
    account = AccountFactory()
    _last_years_bill(account)
    params = {**CALCULATION, "schedule": "G1.1", "account": account.number}
    params.pop("meter_size")
    html = client_as(Role.CLERK).get(reverse("billing:calculator"), params).content.decode()
    assert "has no natural gas charges read in February 2025" in html


def test_bad_input_names_the_field(client_as):
    params = {
        "schedule": "W1.1",
        "start": "2026-02-11",
        "end": "2026-02-01",
        "usage": "-1",
        "quantity": "1",
    }
    html = client_as(Role.CLERK).get(reverse("billing:calculator"), params).content.decode()
    assert "The read date must be after the previous read date." in html
    assert "Ensure this value is greater than or equal to 0." in html


def test_an_unpriceable_period_says_why(client_as):
    params = {
        "schedule": "W1.1",
        "start": "2026-01-12",
        "end": "2026-02-11",
        "usage": "3",
        "quantity": "1",
    }
    html = client_as(Role.CLERK).get(reverse("billing:calculator"), params).content.decode()
    assert "cannot be priced" in html and "by meter size" in html

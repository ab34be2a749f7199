from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import JournalEntry
from accounts.services import Charge, charges_post
from billing.rules.ratebook import shipped_ratebook
from billing.services.rates import ratebook_load
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory

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


def test_the_calculator_compares_with_the_same_month_last_year(client_as):
    account = AccountFactory()
    charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=date(2025, 2, 13),
        description="Bill",
        charges=[Charge(D("65.00"), "water", "W1.1")],
    )
    params = {
        "schedule": "W1.1",
        "start": "2026-01-12",
        "end": "2026-02-11",
        "usage": "12",
        "meter_size": "3/4",
        "quantity": "1",
        "account": account.number,
    }
    html = client_as(Role.CLERK).get(reverse("billing:calculator"), params).content.decode()
    assert "$65.00" in html and "$6.56 higher" in html


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

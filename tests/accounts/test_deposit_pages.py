"""The deposits tab and Credit Services' deposit pages."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Deposit
from accounts.selectors import deposit_held
from accounts.services import payment_post
from accounts.services.deposits import deposit_bill
from staffing.models import WorkItem
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deposit():
    account = AccountFactory()
    today = timezone.localdate()
    made = deposit_bill(account=account, amount=D("50.00"), reason="new customer", on=today)
    return made


def test_the_tab_shows_what_is_held_and_credit_can_dispute_it(client_as, deposit):
    account = deposit.account
    clerk = client_as("Customer Service Clerk")
    tab = clerk.get(reverse("accounts:tab", args=[account.number, "deposits"])).content.decode()
    assert "not yet paid" in tab and "new customer" in tab and "Dispute" not in tab

    credit = client_as("Credit Representative")
    credit.post(
        reverse("credit:deposit_dispute", args=[deposit.pk]),
        {"details": "Customer has 10 years with SRP"},
    )
    item = WorkItem.objects.get(kind="deposit_dispute")
    assert item.section == "credit" and item.account == account
    assert "10 years with SRP" in item.details


def test_crediting_back_is_refused_until_paid_then_credits(client_as, deposit):
    account = deposit.account
    credit = client_as("Credit Representative")
    url = reverse("credit:deposit_credit", args=[account.number])
    refused = credit.post(url, follow=True).content.decode()
    assert "has not been paid yet" in refused
    payment_post(account=account, amount=D("50.00"), effective_on=timezone.localdate())
    assert deposit_held(account.pk) == D("50.00")
    done = credit.post(url, follow=True).content.decode()
    assert "Deposit of $50.00 credited" in done
    assert Deposit.objects.get(pk=deposit.pk).status == "credited"
    assert deposit_held(account.pk) == D("0.00")


def test_the_deposit_list_filters_and_exports(client_as, deposit):
    credit = client_as("Credit Representative")
    page = credit.get(reverse("credit:deposits"), {"status": "open"})
    assert deposit.account.number in page.content.decode()
    none = credit.get(reverse("credit:deposits"), {"status": "credited"})
    assert deposit.account.number not in none.content.decode()
    export = credit.get(reverse("credit:deposits"), {"_export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    assert deposit.account.number in export.content.decode()

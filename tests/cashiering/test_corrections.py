import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import account_balance, account_history
from cashiering.models import Payment, TenderSource
from cashiering.services.corrections import payment_transfer, payment_void
from cashiering.services.drawers import shift_expected, shift_open
from cashiering.services.payments import TenderLine, payment_take
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(role_users):
    shift = shift_open(
        source=TenderSource.objects.get(code="MAIN"),
        cashier=role_users[Role.CASHIER],
        opening_float=D("100"),
    )
    account = AccountFactory()
    payment = payment_take(
        source=shift.source,
        shift=shift,
        received_on=timezone.localdate(),
        tenders=[TenderLine("CASH", D("30"))],
        allocations=[(account, D("30"))],
        idempotency_key="v1",
    )
    return shift, account, payment


def test_a_supervisor_voids_a_payment_the_same_day_in_an_open_shift(paid, role_users):
    shift, account, payment = paid
    with pytest.raises(ValidationError, match="supervisor"):
        payment_void(
            payment_id=payment.pk, supervisor=role_users[Role.CASHIER], reason="wrong account"
        )
    payment_void(
        payment_id=payment.pk, supervisor=role_users[Role.SUPERVISOR], reason="wrong account"
    )
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.VOIDED
    assert account_balance(account.pk) == D("0")
    assert shift_expected(shift)["cash"] == D("100.00")  # the cash went back
    with pytest.raises(ValidationError, match="already voided"):
        payment_void(payment_id=payment.pk, supervisor=role_users[Role.SUPERVISOR], reason="again")


def test_a_payment_from_another_day_cannot_be_voided(paid, role_users):
    _, _, payment = paid
    Payment.objects.filter(pk=payment.pk).update(received_on=date(2020, 1, 1))
    with pytest.raises(ValidationError, match="taken today"):
        payment_void(payment_id=payment.pk, supervisor=role_users[Role.SUPERVISOR], reason="late")


def test_a_misapplied_payment_moves_and_both_accounts_show_it(paid, role_users):
    _, wrong, payment = paid
    right = AccountFactory()
    entry = payment_transfer(
        allocation_id=payment.allocations.get().pk,
        to_account=right,
        amount=None,
        reason="customer gave the neighbour's number",
        by=role_users[Role.CASHIER],
    )
    assert account_balance(wrong.pk) == D("0") and account_balance(right.pk) == D("-30.00")
    for account in (wrong, right):
        assert entry.pk in {row.entry_id for row in account_history(account.pk)}
    assert "neighbour" in entry.description


def test_void_from_the_page_needs_a_supervisor_sign_in(client, paid, role_users):
    from django.urls import reverse

    _, account, payment = paid
    client.force_login(role_users[Role.CASHIER])
    url = reverse("cashiering:payment_void", args=[payment.pk])
    client.post(url, {"reason": "wrong", "supervisor": "cashier", "password": "mesa-demo"})
    assert (
        Payment.objects.get(pk=payment.pk).status == Payment.Status.POSTED
    )  # a cashier is no supervisor
    client.post(url, {"reason": "wrong", "supervisor": "supervisor", "password": "mesa-demo"})
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.VOIDED


def test_a_voided_payment_is_marked_in_every_list(client, paid, role_users):
    """The shift's list, the receipt, the account's history and its export
    say VOID; a list that showed it like any other payment misled the cashier
    balancing the drawer."""
    shift, account, payment = paid
    payment_void(payment_id=payment.pk, supervisor=role_users[Role.SUPERVISOR], reason="wrong")
    client.force_login(role_users[Role.CASHIER])
    shift_list = client.get(reverse("cashiering:index")).content.decode()
    assert '<span class="badge text-bg-secondary">Voided</span>' in shift_list
    assert (
        "*** VOID ***"
        in client.get(reverse("cashiering:receipt", args=[payment.pk])).content.decode()
    )
    history = client.get(reverse("accounts:tab", args=[account.number, "history"])).content.decode()
    assert '<span class="badge text-bg-secondary">Reversed</span>' in history
    export = client.get(reverse("accounts:history_export", args=[account.number])).content.decode()
    rows = list(csv.DictReader(io.StringIO(export)))
    assert sum(row["Reversed"] == "reversed" for row in rows) == 1


def test_a_returned_payment_is_its_own_row_in_the_payments_report(paid, role_users):
    from cashiering.selectors import reports

    shift, account, payment = paid
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.RETURNED)
    rows = reports.payments_by_source(payment.received_on, payment.received_on)
    assert [row["status"] for row in rows] == ["Returned"]

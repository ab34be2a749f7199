import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import AccountFlag, JournalEntry
from accounts.selectors import account_balance
from accounts.services import account_flag_set
from cashiering.models import DrawerShift, Payment, TenderSource
from cashiering.services.drawers import shift_close, shift_open, shift_reopen
from cashiering.services.payments import TenderLine, payment_take
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def take(shift, account, tenders, key, amount=None):
    total = amount or sum(t.amount for t in tenders)
    return payment_take(
        source=shift.source,
        shift=shift,
        received_on=TODAY,
        tenders=tenders,
        allocations=[(account, total)],
        idempotency_key=key,
        created_by=shift.cashier,
    )


def test_cash_gives_change_and_a_check_needs_its_number(shift):
    account = AccountFactory()
    payment = take(shift, account, [TenderLine("CASH", D("60.00"))], "k1", amount=D("52.37"))
    assert payment.change_due == D("7.63")
    assert account_balance(account.pk) == D("-52.37")
    with pytest.raises(ValidationError, match="check number"):
        take(shift, account, [TenderLine("CHECK", D("10"))], "k2")
    with pytest.raises(ValidationError, match="Only cash gives change"):
        take(shift, account, [TenderLine("CHECK", D("20"), "1001")], "k3", amount=D("10"))


def test_submitting_twice_posts_once_and_replays_the_first(shift):
    account = AccountFactory()
    first = take(shift, account, [TenderLine("CASH", D("25"))], "form-abc")
    again = take(shift, account, [TenderLine("CASH", D("25"))], "form-abc")
    assert again.pk == first.pk
    assert JournalEntry.objects.filter(account=account, kind="payment").count() == 1
    assert account_balance(account.pk) == D("-25.00")


def test_card_numbers_are_refused_wherever_typed(shift):
    account = AccountFactory()
    with pytest.raises(ValidationError) as error:
        take(shift, account, [TenderLine("CARD", D("10"), "4111 1111 1111 1111")], "k4")
    assert "never enter Mesa CS" in str(error.value)
    with pytest.raises(ValidationError):
        payment_take(
            source=shift.source,
            shift=shift,
            received_on=TODAY,
            tenders=[TenderLine("CASH", D("5"))],
            allocations=[(account, D("5"))],
            idempotency_key="k5",
            payer_name="5500005555555559",
        )
    assert not Payment.objects.exists()
    take(shift, account, [TenderLine("CARD", D("10"), "APPROVAL 834221")], "k6")


def test_certified_funds_accounts_cannot_pay_by_check(shift):
    account = AccountFactory()
    account_flag_set(
        account=account,
        kind=AccountFlag.Kind.CERTIFIED_FUNDS_ONLY,
        starts_on=date(2026, 1, 1),
        reason="NSF",
    )
    with pytest.raises(ValidationError, match="certified funds"):
        take(shift, account, [TenderLine("CHECK", D("10"), "55")], "k7")
    take(shift, account, [TenderLine("MONEY_ORDER", D("10"), "MO-1")], "k8")


def test_one_payment_split_across_accounts(shift):
    first, second = AccountFactory(), AccountFactory()
    payment = payment_take(
        source=shift.source,
        shift=shift,
        received_on=TODAY,
        tenders=[TenderLine("CASH", D("50")), TenderLine("CHECK", D("70"), "321")],
        allocations=[(first, D("80")), (second, D("40"))],
        idempotency_key="split",
    )
    assert payment.allocations.count() == 2
    assert (account_balance(first.pk), account_balance(second.pk)) == (D("-80.00"), D("-40.00"))


def test_a_drawer_will_not_close_unbalanced_without_reason_and_sign_off(shift, role_users):
    account = AccountFactory()
    take(shift, account, [TenderLine("CASH", D("100"))], "c1")
    take(shift, account, [TenderLine("CHECK", D("45.50"), "900")], "c2")
    short = {"100": 2, "50": 1, "20": 2}  # 290.00 counted, 300.00 expected
    with pytest.raises(ValidationError, match="short by \\$10.00"):
        shift_close(
            shift_id=shift.pk, cashier=shift.cashier, denominations=short, checks=[D("45.50")]
        )
    with pytest.raises(ValidationError, match="supervisor"):
        shift_close(
            shift_id=shift.pk,
            cashier=shift.cashier,
            denominations=short,
            checks=[D("45.50")],
            reason="miscount",
            signed_off_by=shift.cashier,
        )
    closed = shift_close(
        shift_id=shift.pk,
        cashier=shift.cashier,
        denominations=short,
        checks=[D("45.50")],
        reason="Gave wrong change",
        signed_off_by=role_users[Role.SUPERVISOR],
    )
    assert closed.difference == D("-10.00") and closed.status == DrawerShift.Status.CLOSED
    legs = {leg.gl_account.purpose: leg.amount for leg in closed.over_short_entry.legs.all()}
    assert legs == {"cash": D("-10.00"), "over_short": D("10.00")}
    with pytest.raises(ValidationError, match="closed"):
        take(closed, account, [TenderLine("CASH", D("1"))], "c3")


def test_a_balanced_drawer_closes_and_only_a_supervisor_reopens_it(shift, role_users):
    account = AccountFactory()
    take(shift, account, [TenderLine("CASH", D("20"))], "b1")
    closed = shift_close(
        shift_id=shift.pk, cashier=shift.cashier, denominations={"100": 2, "20": 1}, checks=[]
    )
    assert closed.difference == 0 and closed.over_short_entry is None
    with pytest.raises(ValidationError, match="Only a supervisor"):
        shift_reopen(shift_id=shift.pk, supervisor=shift.cashier, reason="recount")
    reopened = shift_reopen(
        shift_id=shift.pk, supervisor=role_users[Role.SUPERVISOR], reason="recount"
    )
    assert reopened.status == DrawerShift.Status.OPEN and reopened.reopen_count == 1


def test_one_open_shift_per_drawer_and_cashier(shift):
    with pytest.raises(ValidationError, match="already has an open shift"):
        shift_open(source=shift.source, cashier=UserFactory(), opening_float=D("100"))
    with pytest.raises(ValidationError, match="already has an open shift"):
        shift_open(
            source=TenderSource.objects.get(code="EAST"),
            cashier=shift.cashier,
            opening_float=D("100"),
        )


@pytest.mark.django_db(transaction=True)
def test_twenty_cashiers_paying_one_account_at_once():
    account = AccountFactory()
    source = TenderSource.objects.get(code="KIOSK")
    barrier, errors = threading.Barrier(20), []

    def pay(n):
        try:
            barrier.wait()
            payment_take(
                source=source,
                received_on=TODAY,
                tenders=[TenderLine("CASH", D("3.00"))],
                allocations=[(account, D("3.00"))],
                idempotency_key=f"t{n}",
            )
        except Exception as exc:  # collected, asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert account_balance(account.pk) == D("-60.00")
    assert Payment.objects.count() == 20


def test_the_counter_finds_an_account_by_name_and_prefills_it(client_as, shift):
    from django.urls import reverse

    account = AccountFactory(name="Maria Gonzales")
    client = client_as(Role.CASHIER)
    html = client.get(reverse("cashiering:counter_search"), {"q": "Gonzalez"}).content.decode()
    assert f"?account={account.number}" in html
    page = client.get(reverse("cashiering:counter"), {"account": account.number}).content.decode()
    assert f'value="{account.number}"' in page

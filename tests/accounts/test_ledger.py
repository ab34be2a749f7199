import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, InternalError, connection, transaction

from accounts.models import GLAccount, JournalEntry, JournalLeg
from accounts.selectors import (
    account_aging,
    account_balance,
    account_history,
    ledger_unbalanced_entries,
    receivable_open_items,
)
from accounts.services import (
    Charge,
    GLChart,
    LedgerError,
    Leg,
    charges_post,
    entry_post,
    entry_reverse,
    payment_post,
    transfer_post,
)
from tests.factories import AccountFactory, agreement

pytestmark = pytest.mark.django_db
DB_REFUSAL = (IntegrityError, InternalError)


def bill(account, amount, on=date(2026, 1, 5), sa=None, utility="water", due=None):
    return charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=on,
        due_on=due or on,
        description="Bill",
        charges=[Charge(D(amount), utility, "W1.1", sa.pk if sa else None)],
    )


def test_a_bill_is_balanced_and_charges_the_receivable():
    account = AccountFactory()
    entry = bill(account, "45.10")
    legs = {leg.gl_account.purpose: leg.amount for leg in entry.legs.select_related("gl_account")}
    assert legs == {"receivable": D("45.10"), "revenue": D("-45.10")}
    assert account_balance(account.pk) == D("45.10")


def test_the_service_refuses_an_unbalanced_entry():
    chart = GLChart()
    with pytest.raises(LedgerError, match="summing to zero"):
        entry_post(
            kind="adjustment",
            effective_on=date(2026, 1, 1),
            description="bad",
            legs=[Leg(chart.get("cash"), D("10")), Leg(chart.get("suspense"), D("-9.99"))],
        )


def test_the_database_refuses_an_unbalanced_entry_at_commit_time():
    cash = GLAccount.objects.get(code="1010")
    with (
        pytest.raises(DB_REFUSAL, match="unbalanced"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO accounts_journalentry (kind, effective_on, description) "
            "VALUES ('adjustment', '2026-01-01', 'raw') RETURNING id"
        )
        (entry_id,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO accounts_journalleg (entry_id, gl_account_id, amount) VALUES (%s, %s, 5)",
            [entry_id, cash.pk],
        )
        # The balance check is deferred to commit; make it run now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_an_entry_without_legs_is_refused_by_the_database():
    with pytest.raises(DB_REFUSAL, match="unbalanced"), transaction.atomic():
        JournalEntry.objects.create(
            kind="adjustment", effective_on=date(2026, 1, 1), description="x"
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE accounts_journalleg SET amount = amount + 1 WHERE entry_id = %s",
        "DELETE FROM accounts_journalleg WHERE entry_id = %s",
        "UPDATE accounts_journalentry SET description = 'changed' WHERE id = %s",
        "DELETE FROM accounts_journalentry WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_posted_rows(statement):
    entry = bill(AccountFactory(), "20.00")
    with (
        pytest.raises(DB_REFUSAL, match="cannot be changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [entry.pk])


def test_the_orm_cannot_change_or_delete_posted_rows():
    entry = bill(AccountFactory(), "20.00")
    leg = entry.legs.first()
    with pytest.raises(DB_REFUSAL), transaction.atomic():
        JournalLeg.objects.filter(pk=leg.pk).update(amount=D("1.00"))
    with pytest.raises(DB_REFUSAL), transaction.atomic():
        leg.amount = D("2.00")
        leg.save()
    with pytest.raises(DB_REFUSAL), transaction.atomic():
        JournalLeg.objects.filter(pk=leg.pk).delete()
    with pytest.raises(DB_REFUSAL), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(description="edited")
    leg.refresh_from_db()
    assert leg.amount == D("20.00")


@pytest.mark.django_db(transaction=True)
def test_legs_cannot_be_added_to_an_entry_posted_earlier():
    entry = bill(AccountFactory(), "20.00")  # committed: this test runs in autocommit
    chart = GLChart()
    with pytest.raises(DB_REFUSAL, match="posted earlier"), transaction.atomic():
        JournalLeg.objects.bulk_create(
            [
                JournalLeg(entry=entry, gl_account=chart.get("cash"), amount=D("5")),
                JournalLeg(entry=entry, gl_account=chart.get("suspense"), amount=D("-5")),
            ]
        )
    assert entry.legs.count() == 2


def test_a_correction_is_a_reversing_entry_and_happens_once():
    account = AccountFactory()
    entry = bill(account, "80.00")
    reversal = entry_reverse(entry=entry, reason="wrong read", effective_on=date(2026, 1, 9))
    assert reversal.reverses == entry
    assert account_balance(account.pk) == D("0.00")
    assert JournalEntry.objects.filter(pk=entry.pk).exists()  # nothing deleted
    with pytest.raises(LedgerError, match="already reversed"):
        entry_reverse(entry=entry, reason="again", effective_on=date(2026, 1, 9))
    with pytest.raises(LedgerError, match="cannot itself be reversed"):
        entry_reverse(entry=reversal, reason="undo", effective_on=date(2026, 1, 9))
    history = account_history(account.pk)
    assert [row.amount for row in history] == [D("80.00"), D("-80.00")]
    assert history[0].reversed


def test_payments_pay_the_oldest_charges_first_and_keep_a_credit():
    account = AccountFactory()
    water = agreement(account)
    sewer = agreement(account, "wastewater", "S1.1", premise_obj=water.premise)
    bill(account, "30.00", date(2026, 1, 5), water)
    bill(account, "20.00", date(2026, 2, 5), sewer, utility="wastewater")
    payment_post(account=account, amount=D("40.00"), effective_on=date(2026, 2, 10))
    items = receivable_open_items(account.pk)
    assert [(i.service_agreement_id, i.open_amount) for i in items] == [(sewer.pk, D("10.00"))]
    payment_post(account=account, amount=D("25.00"), effective_on=date(2026, 2, 11))
    assert account_balance(account.pk) == D("-15.00")
    assert account_aging(account.pk, as_of=date(2026, 2, 12)).credit == D("15.00")


def test_aging_buckets_and_past_due():
    account = AccountFactory()
    bill(account, "10.00", date(2026, 1, 1), due=date(2026, 1, 22))
    bill(account, "20.00", date(2026, 2, 1), due=date(2026, 2, 22))
    bill(account, "40.00", date(2026, 4, 1), due=date(2026, 4, 22))
    bill(account, "80.00", date(2026, 5, 10), due=date(2026, 5, 31))
    aging = account_aging(account.pk, as_of=date(2026, 5, 20))
    assert aging.balance == D("150.00")
    assert aging.buckets == {
        "current": D("80.00"),
        "1-30": D("40.00"),
        "31-60": D("0"),
        "61-90": D("20.00"),
        "over 90": D("10.00"),
    }
    assert aging.past_due == D("70.00")


def test_a_returned_payment_leaves_the_charges_owed_at_their_age():
    account = AccountFactory()
    bill(account, "60.00", date(2026, 1, 1), due=date(2026, 1, 22))
    payment = payment_post(account=account, amount=D("60.00"), effective_on=date(2026, 1, 10))
    entry_reverse(entry=payment, reason="NSF", effective_on=date(2026, 3, 1))
    aging = account_aging(account.pk, as_of=date(2026, 3, 2))
    assert aging.balance == D("60.00")
    assert aging.buckets["31-60"] == D("60.00")
    assert aging.past_due == D("60.00")


def test_a_transfer_moves_a_credit_and_both_accounts_show_it():
    wrong, right = AccountFactory(), AccountFactory()
    bill(right, "25.00")
    payment_post(account=wrong, amount=D("25.00"), effective_on=date(2026, 1, 6))
    entry = transfer_post(
        from_account=wrong,
        to_account=right,
        amount=D("25.00"),
        effective_on=date(2026, 1, 7),
        reason="misapplied",
    )
    assert account_balance(wrong.pk) == D("0.00")
    assert account_balance(right.pk) == D("0.00")
    assert entry.pk in {row.entry_id for row in account_history(wrong.pk)}
    assert entry.pk in {row.entry_id for row in account_history(right.pk)}


def test_posting_the_same_event_twice_posts_once():
    account = AccountFactory()
    first = payment_post(
        account=account, amount=D("5"), effective_on=date(2026, 1, 1), source_key="LBX:1:7"
    )
    again = payment_post(
        account=account, amount=D("5"), effective_on=date(2026, 1, 1), source_key="LBX:1:7"
    )
    assert again.pk == first.pk
    assert account_balance(account.pk) == D("-5.00")


@pytest.mark.django_db(transaction=True)
def test_eight_cashiers_post_twenty_five_dollar_payments_each_to_one_account():
    account = AccountFactory()
    water = agreement(account)
    bill(account, "100.00", sa=water)
    before = account_balance(account.pk)
    barrier = threading.Barrier(8)
    errors = []

    def cashier(n):
        try:
            barrier.wait()
            for i in range(25):
                payment_post(
                    account=account,
                    amount=D("1.00"),
                    effective_on=date(2026, 1, 10),
                    source_key=f"drawer-{n}-{i}",
                )
        except Exception as exc:  # collected, asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=cashier, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert account_balance(account.pk) == before - D("200.00")
    assert JournalEntry.objects.filter(account=account, kind="payment").count() == 200
    # Exactly the $100 owed was applied to the water service, the rest is credit.
    water_credits = JournalLeg.objects.filter(service_agreement=water, amount__lt=0)
    assert sum(leg.amount for leg in water_credits) == D("-100.00")
    assert ledger_unbalanced_entries() == []


def test_the_history_runs_its_balance_in_posting_order():
    account = AccountFactory()
    first = bill(account, "80.00", date(2026, 3, 5))
    paid = payment_post(account=account, amount=D("50.00"), effective_on=date(2026, 3, 20))
    # Posted later but dated earlier, and two on one day in posting order.
    late = bill(account, "12.00", date(2026, 3, 1))
    fee = bill(account, "3.00", date(2026, 3, 20))
    history = account_history(account.pk)
    assert [row.entry_id for row in history] == [first.pk, paid.pk, late.pk, fee.pk]
    assert [row.running_balance for row in history] == [
        D("80.00"),
        D("30.00"),
        D("42.00"),
        D("45.00"),
    ]


def test_history_lists_what_is_scheduled_outside_the_running_balance(client_as):
    """An arrangement's installments are posted ahead, dated on their months:
    History shows them as scheduled, and its last balance is the balance
    today (seen: 1,788.17 at the top of History while the account owed 40.00)."""
    from datetime import timedelta

    from django.urls import reverse

    from mesa_cs.lib.dates import today
    from mesa_cs.lib.roles import Role

    account = AccountFactory()
    charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=today() - timedelta(days=30),
        due_on=today() - timedelta(days=9),
        description="Bill",
        charges=[Charge(D("100.00"), "water")],
    )
    charges_post(
        account=account,
        kind=JournalEntry.Kind.ARRANGEMENT,
        effective_on=today() + timedelta(days=31),
        due_on=today() + timedelta(days=52),
        description="Installment 1 of 2",
        charges=[Charge(D("60.00"), "water")],
    )
    history = account_history(account.pk)
    assert [row.scheduled for row in history] == [False, True]
    assert history[-1].running_balance is None
    standing = [row for row in history if not row.scheduled]
    assert standing[-1].running_balance == account_balance(account.pk, as_of=today()) == D("100.00")
    page = client_as(Role.CLERK).get(reverse("accounts:tab", args=[account.number, "history"]))
    assert '<span class="badge text-bg-info">Scheduled</span>' in page.content.decode()


def test_legs_added_after_an_early_check_are_checked_again_at_commit():
    """SET CONSTRAINTS ... IMMEDIATE runs the checks queued so far; a leg
    added afterwards is queued and checked on its own."""
    cash = GLAccount.objects.get(code="1010")
    suspense = GLChart().get("suspense")
    with (
        pytest.raises(DB_REFUSAL, match="unbalanced"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        entry = JournalEntry.objects.create(kind="adjustment", effective_on=date(2026, 1, 1))
        JournalLeg.objects.bulk_create(
            [
                JournalLeg(entry=entry, gl_account=cash, amount=D("5")),
                JournalLeg(entry=entry, gl_account=suspense, amount=D("-5")),
            ]
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # balanced so far: passes
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        JournalLeg.objects.create(entry=entry, gl_account=cash, amount=D("1"))
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_emptying_the_check_queue_does_not_skip_the_check():
    cash = GLAccount.objects.get(code="1010")
    with (
        pytest.raises(DB_REFUSAL, match="unbalanced"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        entry = JournalEntry.objects.create(kind="adjustment", effective_on=date(2026, 1, 1))
        JournalLeg.objects.create(entry=entry, gl_account=cash, amount=D("5"))
        cursor.execute("UPDATE accounts_ledgercheck SET entry_ids = '{}'")
        cursor.execute("DELETE FROM accounts_ledgercheck")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_leg_for_no_entry_is_refused():
    cash = GLAccount.objects.get(code="1010")
    with pytest.raises(DB_REFUSAL, match="does not exist"), transaction.atomic():
        JournalLeg.objects.create(entry_id=987654321, gl_account=cash, amount=D("5"))


@pytest.mark.django_db(transaction=True)
def test_a_batch_of_entries_is_checked_once_and_leaves_no_queue():
    account = AccountFactory()
    entries = [bill(account, "10.00") for _ in range(3)]
    assert all(entry.legs.count() == 2 for entry in entries)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_ledgercheck")
        assert cursor.fetchone() == (0,)

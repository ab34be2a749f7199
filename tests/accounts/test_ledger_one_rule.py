"""The ledger's rules, each in one place in accounts: legs that balance
(``legs_balanced``, and ``ledger_unbalanced_entries`` for stored rows, both
the database trigger's rule), crediting oldest charge first (``credit_legs``,
for payments and write-offs and bankruptcy alike), and reversals dated no
earlier than what they reverse."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import transaction

from accounts.models import GLAccount, JournalEntry, JournalLeg
from accounts.selectors import ledger_unbalanced_entries, receivable_open_items
from accounts.services import (
    Charge,
    GLChart,
    LedgerError,
    Leg,
    charges_post,
    credit_legs,
    entry_reverse,
    legs_balanced,
)
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
JAN = date(2026, 1, 5)


def charge(account, amount, utility, on):
    return charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=on,
        description="Bill",
        charges=[Charge(D(amount), utility)],
    )


@pytest.mark.parametrize(
    ("amounts", "total"),
    [
        (["10.00", "-9.99"], "0.01"),
        (["10.00"], "10.00"),
        (["0.004", "0.00"], "0.00"),  # rounds to no legs at all
    ],
)
def test_legs_balanced_refuses_what_the_trigger_refuses(amounts, total):
    chart = GLChart()
    legs = [Leg(chart.get("cash"), D(a)) for a in amounts]
    with pytest.raises(LedgerError, match=f"two or more legs summing to zero \\(got {total}\\)"):
        legs_balanced(legs)


def test_legs_balanced_rounds_to_cents_and_drops_zero_legs():
    chart = GLChart()
    legs = legs_balanced(
        [
            Leg(chart.get("cash"), D("10.004")),
            Leg(chart.get("suspense"), D("-10.00")),
            Leg(chart.get("refunds"), D("0.001")),
        ]
    )
    assert [(leg.gl.purpose, leg.amount) for leg in legs] == [
        ("cash", D("10.00")),
        ("suspense", D("-10.00")),
    ]


def test_ledger_unbalanced_entries_names_entries_the_trigger_would_refuse():
    """Before commit (the trigger is deferred), as a load with the triggers
    off would leave them: one leg, legs not summing to zero, no legs. Rolled
    back before the trigger runs."""
    chart = GLChart()
    good = charge(AccountFactory(), "20.00", "water", JAN)
    with transaction.atomic():
        one_leg = JournalEntry.objects.create(
            kind="adjustment", effective_on=JAN, description="one"
        )
        JournalLeg.objects.create(entry=one_leg, gl_account=chart.get("cash"), amount=D("0.01"))
        uneven = JournalEntry.objects.create(
            kind="adjustment", effective_on=JAN, description="uneven"
        )
        JournalLeg.objects.bulk_create(
            [
                JournalLeg(entry=uneven, gl_account=chart.get("cash"), amount=D("5.00")),
                JournalLeg(entry=uneven, gl_account=chart.get("suspense"), amount=D("-4.00")),
            ]
        )
        no_legs = JournalEntry.objects.create(
            kind="adjustment", effective_on=JAN, description="none"
        )
        assert ledger_unbalanced_entries() == [one_leg.pk, uneven.pk, no_legs.pk]
        assert ledger_unbalanced_entries(from_entry_id=uneven.pk) == [uneven.pk, no_legs.pk]
        transaction.set_rollback(True)
    assert good.pk not in ledger_unbalanced_entries()
    assert ledger_unbalanced_entries() == []


def test_credit_legs_pays_the_oldest_charges_first_and_keeps_the_rest_as_credit():
    account = AccountFactory()
    charge(account, "30.00", "water", JAN)
    charge(account, "50.00", "electric", JAN + timedelta(days=30))
    chart = GLChart()
    legs = credit_legs(account, D("100.00"), chart)
    got = {(leg.gl.utility, leg.gl.purpose): leg.amount for leg in legs}
    assert got == {
        ("water", "receivable"): D("-30.00"),
        ("electric", "receivable"): D("-50.00"),
        ("", "receivable"): D("-20.00"),
    }
    assert {leg.account_id for leg in legs} == {account.pk}


def test_credit_legs_on_the_open_items_of_another_day():
    """The bankruptcy freeze credits the charges open on the petition date,
    not those charged since."""
    account = AccountFactory()
    charge(account, "30.00", "water", JAN)
    charge(account, "50.00", "electric", JAN + timedelta(days=30))
    items = receivable_open_items(account.pk, as_of=JAN + timedelta(days=1))
    legs = credit_legs(account, D("30.00"), GLChart(), items)
    assert [(leg.gl.utility, leg.amount) for leg in legs] == [("water", D("-30.00"))]
    assert items == []  # consumed, so a second credit in a row starts after it


def test_a_write_off_credits_the_receivable_oldest_first(role_users):
    from credit.services.write_offs import write_off_approve, write_off_request

    account = AccountFactory()
    charge(account, "30.00", "water", JAN)
    charge(account, "50.00", "electric", JAN + timedelta(days=30))
    write_off = write_off_request(
        account=account,
        amount=D("40.00"),
        reason="Uncollectible",
        requested_by=role_users[Role.CREDIT],
    )
    write_off = write_off_approve(write_off_id=write_off.pk, by=role_users[Role.SUPERVISOR])
    receivable = {
        leg.gl_account.utility: leg.amount
        for leg in write_off.entry.legs.select_related("gl_account").filter(
            gl_account__purpose=GLAccount.Purpose.RECEIVABLE
        )
    }
    assert receivable == {"water": D("-30.00"), "electric": D("-10.00")}


def test_a_reversal_is_dated_on_or_after_the_entry_it_reverses():
    account = AccountFactory()
    entry = charge(account, "30.00", "water", JAN)
    with pytest.raises(LedgerError, match="on or after the entry it reverses"):
        entry_reverse(entry=entry, reason="early", effective_on=JAN - timedelta(days=1))
    assert not JournalEntry.objects.filter(reverses=entry).exists()
    assert entry_reverse(entry=entry, reason="same day", effective_on=JAN).reverses == entry

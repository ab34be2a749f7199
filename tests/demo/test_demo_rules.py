"""The demo city keeps no billing rules of its own: its bills, due dates,
late fees and payments are what the product's own functions make of the
same history, read back from the loaded ledger."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection

from accounts.models import Deposit, GLAccount, JournalEntry, JournalLeg, Meter, Person, Premise
from accounts.selectors import account_aging, account_balance, receivable_open_items
from accounts.selectors.ledger import deposit_held
from accounts.services import Charge, GLChart, charge_legs
from billing.models import Bill
from billing.rules.ratebook import shipped_ratebook
from billing.services.bills import bill_compute
from billing.services.late_fees import late_fee_for, late_fees_assess
from billing.services.rates import ratebook_from_db, ratebook_load
from demo.bulk import RowError, copy_rows, first_free_id
from demo.city import CityBuilder

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 26)
Kind = JournalEntry.Kind
Purpose = GLAccount.Purpose


@pytest.fixture(autouse=True)
def rates():
    ratebook_load(shipped_ratebook())


def _legs(entry_id):
    return {
        (gl, account, sa, amount)
        for gl, account, sa, amount in JournalLeg.objects.filter(entry_id=entry_id).values_list(
            "gl_account_id", "account_id", "service_agreement_id", "amount"
        )
    }


def test_late_fees_and_due_dates_follow_the_settings(settings):
    settings.BILL_DUE_DAYS = 18
    settings.LATE_FEE_PERCENT = D("4")
    settings.LATE_FEE_FLOOR = D("6.50")
    settings.LATE_FEE_MINIMUM_PAST_DUE = D("10.00")
    settings.LATE_FEE_TAX_PERCENT = D("5.00")
    CityBuilder(seed=4, months=6, as_of=AS_OF, long_history=0).build(0, 20)

    bills = list(Bill.objects.order_by("pk"))
    assert bills and all(b.due_on == b.bill_on + timedelta(days=18) for b in bills)
    fees = {e.source_key: e for e in JournalEntry.objects.filter(kind=Kind.LATE_FEE)}
    assert len(fees) >= 5
    chart, charged = GLChart(), []
    for bill in bills:
        late_day = bill.due_on + timedelta(days=1)
        if late_day > AS_OF:
            assert f"latefee:{bill.pk}" not in fees
            continue
        # Past due as the ledger reads it back: open charges due before the day.
        past_due = account_aging(bill.account_id, as_of=late_day).past_due
        fee, tax = late_fee_for(past_due)
        entry = fees.pop(f"latefee:{bill.pk}", None)
        if not fee:
            assert entry is None, (bill, past_due)
            continue
        assert entry is not None, (bill, past_due)
        assert (entry.effective_on, entry.due_on) == (late_day, late_day)
        assert entry.description == f"Late fee on ${past_due} past due"
        charged.append(fee)
        receivable = chart.get(Purpose.RECEIVABLE).pk
        assert _legs(entry.pk) == {
            (receivable, bill.account_id, None, fee + tax),
            (chart.get(Purpose.FEES).pk, None, None, -fee),
            (chart.get(Purpose.TAX).pk, None, None, -tax),
        }
    assert fees == {}  # no fee without its bill
    # Both sides of the rule: the floor, and 4 % of a larger past due.
    assert D("6.50") in charged and max(charged) > D("6.50")


def test_the_product_late_fee_run_finds_nothing_more_to_charge(settings):
    settings.LATE_FEE_MINIMUM_PAST_DUE = D("10.00")
    CityBuilder(seed=4, months=4, as_of=AS_OF, long_history=0).build(0, 20)
    days = sorted({b.due_on + timedelta(days=1) for b in Bill.objects.all()})
    days = [day for day in days if day <= AS_OF]
    entries = JournalEntry.objects.count()
    assert JournalEntry.objects.filter(kind=Kind.LATE_FEE).exists()
    for day in days:
        late_fees_assess(on=day)
    assert JournalEntry.objects.count() == entries


def test_demo_bills_are_the_bills_the_product_computes_and_posts():
    CityBuilder(seed=6, months=13, as_of=AS_OF, long_history=0).build(0, 15)
    book = ratebook_from_db()
    chart = GLChart()
    # Not a winter month's bill: issued, it is among its own winter bills.
    bills = (
        Bill.objects.filter(period_end__month__in=range(3, 12), period_end__year=2026)
        .select_related("account")
        .order_by("pk")
    )
    assert bills.count() > 100
    gas = 0
    for bill in bills:
        draft = bill_compute(bill.account, bill.period_end, book)
        seen = list(
            bill.segments.order_by("service_agreement_id").values_list(
                "service_agreement_id",
                "start",
                "end",
                "usage",
                "start_read",
                "end_read",
                "total",
                # What rate modelling counts the segment by (BilledDeterminant).
                "quantity",
                "service_code",
                "meter_size",
                "acres",
            )
        )
        computed = sorted(
            (
                *(s.agreement.pk, s.start, s.end, s.usage, s.start_read, s.end_read, s.total),
                *(s.agreement.containers or 1, s.agreement.service_code, s.meter_size or ""),
                s.agreement.acres,
            )
            for s in draft.segments
        )
        assert seen == computed, bill
        charges = []
        for seg in draft.segments:
            sa = seg.agreement
            gas += sa.utility == "gas"
            charges.append(Charge(seg.total - seg.tax, sa.utility, sa.rate_schedule, sa.pk))
            if seg.tax:
                charges.append(Charge(seg.tax, sa.utility, sa.rate_schedule, sa.pk, Purpose.TAX))
        posted = {
            (leg.gl.pk, leg.account_id, leg.service_agreement_id, leg.amount)
            for leg in charge_legs(chart, bill.account_id, charges)
        }
        assert _legs(bill.entry_id) == posted, bill
        # The summary adds up, to the balance on the bill's day.
        assert bill.amount_due == account_balance(bill.account_id, as_of=bill.bill_on)
        assert (
            bill.previous_balance + bill.payments + bill.other_charges + bill.current_charges
            == bill.amount_due
        )
    assert gas > 10  # gas bills convert CCF to therms by the recorded factor


def test_payments_land_on_the_charges_the_ledger_says_they_paid():
    CityBuilder(seed=7, months=6, as_of=AS_OF, long_history=0).build(0, 30)
    partial = JournalEntry.objects.filter(kind=Kind.PAYMENT, description="Counter payment")
    assert partial.exists()
    for account_id in Bill.objects.values_list("account_id", flat=True).distinct():
        # Per receivable and service: what the legs leave owed, and what the
        # ledger's open items (credits paying the oldest charges) say is owed.
        owed = {}
        for gl, sa, amount in JournalLeg.objects.filter(
            account_id=account_id, gl_account__purpose=Purpose.RECEIVABLE
        ).values_list("gl_account_id", "service_agreement_id", "amount"):
            owed[(gl, sa)] = owed.get((gl, sa), 0) + amount
        items = {}
        for item in receivable_open_items(account_id):
            key = (item.gl_account.pk, item.service_agreement_id)
            items[key] = items.get(key, 0) + item.open_amount
        assert {k: v for k, v in owed.items() if v} == items, account_id


def test_each_deposit_the_ledger_holds_is_a_deposit_the_deposit_pages_list():
    CityBuilder(seed=7, months=6, as_of=AS_OF, long_history=0).build(0, 30)
    held = {
        account_id: deposit_held(account_id)
        for account_id in JournalEntry.objects.filter(kind=Kind.DEPOSIT).values_list(
            "account_id", flat=True
        )
    }
    assert held and all(amount == D("50.00") for amount in held.values())
    deposits = Deposit.objects.filter(status=Deposit.Status.OPEN)
    assert {d.account_id: d.amount for d in deposits} == held


# --- the COPY loader ------------------------------------------------------


def _premise(pk, **changes):
    row = {
        "id": pk,
        "house_number": "1",
        "direction": "N",
        "street_name": "Center",
        "street_type": "St",
        "unit": "",
        "city": "Mesa",
        "zip_code": "85201",
        "parcel": "",
        "address_key": f"{pk} N CENTER ST",
        "service_area": "West",
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not ...}


def test_a_row_without_a_column_that_has_no_default_is_refused_by_name():
    pk = first_free_id("accounts_premise")
    refused = [
        ([_premise(pk, zip_code=...)], r"accounts_premise\.zip_code has no default"),
        ([_premise(pk), _premise(pk + 1, zip_code=...)], "a row has no zip_code"),
        ([_premise(pk, zipcode="85201")], "accounts_premise has no column zipcode"),
        ([_premise(pk, city=...), _premise(pk + 1)], "a row gives city: not a column, or left"),
    ]
    for rows, message in refused:
        # Refused before any COPY starts: the transaction goes on.
        with pytest.raises(RowError, match=message):
            copy_rows(Premise, rows)
    assert not Premise.objects.filter(pk__gte=pk).exists()


def test_columns_with_a_default_need_nothing_from_the_demo():
    pk = first_free_id("accounts_premise")
    # A model default, for rows that leave the column out, also after rows that give it.
    copy_rows(Premise, [_premise(pk, city=...)])
    copy_rows(Premise, [_premise(pk + 1, city="Gilbert"), _premise(pk + 2, city=...)])
    cities = Premise.objects.filter(pk__gte=pk).order_by("pk").values_list("city", flat=True)
    assert list(cities) == ["Mesa", "Gilbert", "Mesa"]
    meter = first_free_id("accounts_meter")
    copy_rows(Meter, [{"id": meter, "number": "W-COPY-1", "utility": "water", "size": "3/4"}])
    loaded = Meter.objects.get(pk=meter)
    assert (loaded.status, loaded.dials, loaded.multiplier) == (Meter.Status.IN_STOCK, 5, 1)
    # A generated column is left to the database.
    person = first_free_id("accounts_person")
    blank = dict.fromkeys(
        ("alt_phone", "email", "mailing_line1", "mailing_line2", "mailing_city"), ""
    ) | dict.fromkeys(("mailing_state", "mailing_zip", "id_type", "id_last4", "phone"), "")
    copy_rows(
        Person,
        [{"id": person, "first_name": "Ana", "last_name": "Ruiz", "business_name": "", **blank}],
    )
    assert Person.objects.get(pk=person).full_name == "Ana Ruiz"
    # A database default (the ledger's posting time) is the database's to fill;
    # the ledger's trigger then takes legs for the entry posted just now.
    entry = first_free_id("accounts_journalentry")
    copy_rows(
        JournalEntry,
        [{"id": entry, "kind": Kind.FEE, "effective_on": AS_OF, "description": "COPY test"}],
    )
    chart, leg = GLChart(), first_free_id("accounts_journalleg")
    copy_rows(
        JournalLeg,
        [
            {
                "id": leg,
                "entry_id": entry,
                "gl_account_id": chart.get(Purpose.CASH).pk,
                "amount": 5,
            },
            {"id": leg + 1, "entry_id": entry, "gl_account_id": chart.get(Purpose.FEES).pk}
            | {"amount": -5},
        ],
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        started = cursor.fetchone()[0]
    assert JournalEntry.objects.get(pk=entry).posted_at == started


def test_bulk_load_puts_back_every_key_and_index_and_a_duplicate_fails_there():
    from django.db import IntegrityError, transaction

    from demo.bulk import bulk_load

    def keys():
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT pg_get_indexdef(indexrelid) FROM pg_index
                    WHERE indrelid = 'accounts_meter'::regclass ORDER BY 1"""
            )
            indexes = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                """SELECT conname FROM pg_constraint
                    WHERE conrelid = 'accounts_meter'::regclass ORDER BY 1"""
            )
            return indexes, [row[0] for row in cursor.fetchall()]

    before = keys()
    meter = first_free_id("accounts_meter")
    row = {"number": "W-DUP-1", "utility": "water", "size": "3/4"}
    with transaction.atomic(), bulk_load(["accounts_meter"]):
        # The unique number is down while loading ...
        assert "accounts_meter_number_key" not in keys()[1]
        copy_rows(Meter, [{"id": meter, **row}])
    assert keys() == before
    # ... and a duplicate is caught when it goes back up.
    duplicate = pytest.raises(IntegrityError, match="number")
    with duplicate, transaction.atomic(), bulk_load(["accounts_meter"]):
        copy_rows(Meter, [{"id": meter + 1, **row}])
    assert keys() == before
    assert Meter.objects.filter(number="W-DUP-1").count() == 1

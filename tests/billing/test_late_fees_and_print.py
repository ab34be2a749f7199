import csv
import io
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.files.storage import default_storage

from accounts.models import Account, JournalEntry
from accounts.services import payment_post
from billing.models import Bill
from billing.services.late_fees import late_fee_for, late_fees_assess
from billing.services.print_file import print_file_build
from billing.services.runs import bill_run_start, bill_run_work
from tests.billing.conftest import BILL_ON

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("past_due", "fee", "tax"),
    [
        ("24.99", "0", "0"),
        ("25.00", "5.00", "0.42"),
        ("250.00", "5.00", "0.42"),
        ("500.00", "10.00", "0.83"),
    ],
)
def test_the_mesa_late_fee_rule(past_due, fee, tax):
    assert late_fee_for(D(past_due)) == (D(fee), D(tax))


def test_late_fees_are_assessed_the_day_after_the_due_date_once(billable_city):
    billable_city(6)
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    bill_run_work(run.pk)
    bills = list(Bill.objects.filter(run=run))
    paid = bills[0]
    payment_post(account=paid.account, amount=paid.amount_due, effective_on=date(2026, 11, 10))
    day_after = bills[0].due_on + timedelta(days=1)
    report = late_fees_assess(on=day_after)
    again = late_fees_assess(on=day_after)
    assert report.examined == again.examined == len(bills)
    fees = JournalEntry.objects.filter(kind=JournalEntry.Kind.LATE_FEE, effective_on=day_after)
    assert fees.count() == report.assessed
    assert not fees.filter(account=paid.account).exists()
    assert report.assessed >= 1


def test_a_completed_run_has_a_print_file_with_a_row_per_bill(billable_city):
    billable_city(5)
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    bill_run_work(run.pk)
    path = print_file_build(run.pk)
    rows = list(csv.DictReader(io.StringIO(default_storage.open(path).read().decode())))
    assert len(rows) == Bill.objects.filter(run=run).count()
    first = Bill.objects.filter(run=run).order_by("account__number").first()
    assert rows[0]["account"] == first.account.number
    assert rows[0]["amount_due"] == str(first.amount_due)
    assert rows[0]["scan_line"].startswith(first.account.number)
    default_storage.delete(path)


def test_the_print_file_neutralises_formula_cells(billable_city):
    billable_city(3)
    account = Account.objects.order_by("number").first()
    Account.objects.filter(pk=account.pk).update(name='=HYPERLINK("http://x.test","pay")')
    person = account.links.get(role="main", ends_on__isnull=True).person
    type(person).objects.filter(pk=person.pk).update(
        mailing_line1="+1 Main St", mailing_line2="-2", mailing_city="@SUM(A1)"
    )
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    bill_run_work(run.pk)
    path = print_file_build(run.pk)
    rows = list(csv.DictReader(io.StringIO(default_storage.open(path).read().decode())))
    mine = next(row for row in rows if row["account"] == account.number)
    assert mine["name"] == """'=HYPERLINK("http://x.test","pay")"""
    assert mine["mailing_line1"] == "'+1 Main St"
    assert mine["city"] == "'@SUM(A1)"
    # Numbers stay numbers, negative amounts included.
    assert mine["mailing_line2"] == "-2"
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row.values())
    default_storage.delete(path)

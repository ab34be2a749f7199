from datetime import date
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Account, JournalEntry
from accounts.selectors import account_balance, ledger_unbalanced_entries
from billing.models import Bill, BillRun, BillRunItem
from billing.services.bills import BillingException, bill_compute, bill_issue, register_usage
from billing.services.rates import ratebook_from_db
from billing.services.runs import (
    BillRunError,
    bill_run_start,
    bill_run_summary,
    bill_run_work,
    period_end_for,
)
from staffing.models import WorkItem
from tests.billing.conftest import BILL_ON

pytestmark = pytest.mark.django_db


def _run_all():
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    bill_run_work(run.pk)
    run.refresh_from_db()
    return run


def test_a_run_bills_every_account_once_and_balances(billable_city):
    billable_city(40)
    expected = {
        a.pk: bill_compute(a, period_end_for(a.bill_cycle, BILL_ON), ratebook_from_db()).total
        for a in Account.objects.filter(status="active")
    }
    run = _run_all()
    assert run.status == BillRun.Status.COMPLETED
    assert run.total == run.done == run.billed + run.exceptions
    bills = Bill.objects.filter(run=run)
    assert {b.account_id: b.current_charges for b in bills} == {
        pk: total for pk, total in expected.items() if pk in {b.account_id for b in bills}
    }
    for bill in bills:
        assert (
            bill.previous_balance + bill.payments + bill.other_charges + bill.current_charges
            == bill.amount_due
        )
        assert bill.amount_due == account_balance(bill.account_id, as_of=BILL_ON)
        assert bill.due_on == date(2026, 11, 21)
        assert bill.segments.count() >= 3
    assert ledger_unbalanced_entries() == []
    summary = bill_run_summary(run)
    assert D(summary["amount_billed"]) == sum((b.current_charges for b in bills), D(0))


def test_starting_the_same_run_twice_bills_nobody_twice(billable_city):
    billable_city(20)
    first = _run_all()
    again = bill_run_start(cycle=None, bill_on=BILL_ON)
    assert again.pk == first.pk
    bill_run_work(again.pk)
    assert Bill.objects.filter(run=first).count() == first.billed
    assert BillRun.objects.count() == 1
    per_account = Bill.objects.values_list("account_id", "period_end")
    assert len(per_account) == len(set(per_account))


def test_issuing_a_bill_twice_returns_the_first(billable_city):
    billable_city(3)
    account = Account.objects.filter(status="active").first()
    end = period_end_for(account.bill_cycle, BILL_ON)
    first = bill_issue(account=account, period_end=end, bill_on=BILL_ON, book=ratebook_from_db())
    second = bill_issue(account=account, period_end=end, bill_on=BILL_ON, book=ratebook_from_db())
    assert first.pk == second.pk
    assert (
        JournalEntry.objects.filter(account=account, kind="bill", effective_on=BILL_ON).count() == 1
    )


def test_the_database_allows_one_issued_bill_per_account_and_period(billable_city):
    billable_city(3)
    account = Account.objects.filter(status="active").first()
    end = period_end_for(account.bill_cycle, BILL_ON)
    bill = bill_issue(account=account, period_end=end, bill_on=BILL_ON, book=ratebook_from_db())
    duplicate = Bill(
        account=account,
        period_start=bill.period_start,
        period_end=end,
        bill_on=BILL_ON,
        due_on=bill.due_on,
        previous_balance=0,
        payments=0,
        other_charges=0,
        current_charges=bill.current_charges,
        amount_due=0,
        entry=bill.entry,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.entry = JournalEntry.objects.exclude(pk=bill.entry_id).first()
        duplicate.save()


def test_an_account_that_cannot_be_billed_is_an_exception_and_a_work_item(billable_city):
    billable_city(20)
    broken = Account.objects.filter(status="active").first()
    broken.agreements.filter(utility="water").update(rate_schedule="W9.9")
    run = _run_all()
    assert run.status == BillRun.Status.COMPLETED
    item = BillRunItem.objects.get(run=run, account=broken)
    assert item.status == BillRunItem.Status.EXCEPTION
    assert "W9.9" in item.message
    work = WorkItem.objects.get(kind="bill_run_exception", account=broken)
    assert work.section == "account_maintenance"
    assert run.billed == run.total - 1


def test_a_run_resumes_work_a_dead_worker_claimed(billable_city, settings):
    billable_city(30)
    from datetime import timedelta

    from django.utils import timezone

    from billing.services.runs import _claim

    settings.BILL_RUN_CHUNK = 5
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    orphaned = _claim(run.pk, 5, "dead")  # a worker claimed these, then died
    assert len(orphaned) == 5
    # Well past the timeout: the database compares with now(), the test
    # transaction's start, which may be seconds before Python's clock.
    stale = timezone.now() - timedelta(seconds=2 * settings.BILL_RUN_CLAIM_TIMEOUT)
    BillRunItem.objects.filter(status="claimed").update(claimed_at=stale)
    bill_run_work(run.pk)
    run.refresh_from_db()
    assert run.status == BillRun.Status.COMPLETED
    assert run.billed + run.exceptions == run.total
    assert not BillRunItem.objects.filter(run=run, status__in=["pending", "claimed"]).exists()


def test_a_bill_date_no_cycle_bills_on_is_refused(billable_city):
    billable_city(2)
    with pytest.raises(
        BillRunError,
        match="no read date billed on 10/02/2026; its bill date in October is 10/07/2026",
    ):
        bill_run_start(cycle=3, bill_on=date(2026, 10, 2))


def test_a_bill_run_is_named_with_its_date_written_the_one_way():
    from billing.models import BillRun

    assert str(BillRun(bill_on=date(2026, 10, 6))) == "Bill run 10/06/2026 (all cycles)"


@pytest.mark.parametrize(
    ("previous", "current", "dials", "usage"),
    [(D("100"), D("150"), 5, D("50")), (D("99990"), D("15"), 5, D("25"))],
)
def test_register_rollover(previous, current, dials, usage):
    assert register_usage(previous, current, dials) == usage


def test_a_drop_that_is_not_a_rollover_is_a_read_error():
    with pytest.raises(BillingException, match="not a rollover"):
        register_usage(D("5000"), D("4000"), 5)


def test_the_account_page_lists_bills_and_the_bill_page_explains_them(billable_city, client_as):
    from django.urls import reverse

    from mesa_cs.lib.roles import Role

    billable_city(3)
    run = _run_all()
    bill = Bill.objects.filter(run=run).first()
    client = client_as(Role.CLERK)
    tab = client.get(bill.account.get_absolute_url(), {"tab": "bills"}).content.decode()
    assert reverse("billing:bill", args=[bill.pk]) in tab
    page = client.get(reverse("billing:bill", args=[bill.pk])).content.decode()
    assert str(bill.amount_due) in page
    assert "Service charge" in page


def test_the_bill_pdf_has_the_charges_the_chart_and_the_scan_line(billable_city, client_as):
    import subprocess

    from django.urls import reverse

    from accounts.rules.scanline import scan_line
    from mesa_cs.lib.roles import Role

    billable_city(3)
    bill = Bill.objects.filter(run=_run_all()).first()
    response = client_as(Role.BILLING).get(reverse("billing:bill_pdf", args=[bill.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert bill.account.number in text
    assert f"${bill.amount_due}" in text.replace(",", "")
    assert scan_line(bill.account.number, bill.amount_due) in text
    assert "Usage, last 13 months" in text


def test_an_all_cycles_run_early_in_the_month_bills_the_cycles_already_due(billable_city):
    billable_city(40)
    run = bill_run_start(cycle=None, bill_on=date(2026, 10, 6))  # cycles 1-2 billed by then
    cycles = set(BillRunItem.objects.filter(run=run).values_list("account__bill_cycle", flat=True))
    assert cycles == {1, 2}
    with pytest.raises(BillRunError, match="No cycle has a bill date"):
        bill_run_start(cycle=None, bill_on=date(2026, 10, 1))

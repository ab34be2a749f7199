import csv
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import JournalEntry
from accounts.selectors import account_balance
from billing.models import Adjustment, Bill
from billing.services.adjustments import (
    adjustment_approve,
    adjustment_reject,
    adjustment_request,
    bill_cancel_rebill,
)
from billing.services.rates import ratebook_from_db
from billing.services.runs import bill_run_start, bill_run_work
from mesa_cs.lib.export import neutralise
from mesa_cs.lib.roles import Role
from staffing.models import WorkItem
from tests.billing.conftest import BILL_ON
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_small_adjustment_posts_at_once():
    account, clerk = AccountFactory(), UserFactory()
    adjustment = adjustment_request(
        account=account,
        amount=D("-25.00"),
        reason="leak",
        note="Leak fixed",
        requested_by=clerk,
        utility="water",
    )
    assert adjustment.status == Adjustment.Status.POSTED
    assert account_balance(account.pk) == D("-25.00")
    assert adjustment.entry.kind == JournalEntry.Kind.ADJUSTMENT


def test_a_large_adjustment_waits_for_a_second_person_who_is_not_the_requester():
    account, requester, approver = AccountFactory(), UserFactory(), UserFactory()
    adjustment = adjustment_request(
        account=account,
        amount=D("-250.00"),
        reason="billing_error",
        note="Wrong meter size",
        requested_by=requester,
        utility="water",
    )
    assert adjustment.status == Adjustment.Status.PENDING
    assert account_balance(account.pk) == D("0")
    work = WorkItem.objects.get(kind="adjustment_approval")
    with pytest.raises(ValidationError, match="Nobody approves their own"):
        adjustment_approve(adjustment_id=adjustment.pk, by=requester)
    adjustment_approve(adjustment_id=adjustment.pk, by=approver)
    adjustment.refresh_from_db()
    assert adjustment.status == Adjustment.Status.POSTED and adjustment.decided_by == approver
    assert account_balance(account.pk) == D("-250.00")
    work.refresh_from_db()
    assert work.is_closed
    with pytest.raises(ValidationError, match="already been decided"):
        adjustment_approve(adjustment_id=adjustment.pk, by=approver)


def test_the_database_refuses_a_self_approval():
    account, user = AccountFactory(), UserFactory()
    adjustment = adjustment_request(
        account=account, amount=D("500"), reason="debit", note="Unbilled", requested_by=user
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Adjustment.objects.filter(pk=adjustment.pk).update(decided_by=user)


def test_a_rejected_adjustment_posts_nothing():
    account, requester, approver = AccountFactory(), UserFactory(), UserFactory()
    adjustment = adjustment_request(
        account=account, amount=D("-300"), reason="service", note="Goodwill", requested_by=requester
    )
    with pytest.raises(ValidationError):
        adjustment_reject(adjustment_id=adjustment.pk, by=approver, why=" ")
    adjustment_reject(adjustment_id=adjustment.pk, by=approver, why="Not eligible")
    adjustment.refresh_from_db()
    assert adjustment.status == Adjustment.Status.REJECTED and adjustment.entry is None
    assert account_balance(account.pk) == D("0")


def test_approval_through_the_pages(client, role_users):
    account = AccountFactory()
    client.force_login(role_users[Role.BILLING])
    response = client.post(
        reverse("billing:adjustment_request"),
        {
            "account": account.number,
            "amount": "-150.00",
            "utility": "water",
            "reason": "leak",
            "note": "Leak credit",
        },
    )
    assert response.status_code == 302
    adjustment = Adjustment.objects.get()
    assert adjustment.status == Adjustment.Status.PENDING
    client.post(reverse("billing:adjustment_decide", args=[adjustment.pk, "approve"]))
    adjustment.refresh_from_db()
    assert adjustment.status == Adjustment.Status.PENDING  # still: the requester cannot approve
    client.force_login(role_users[Role.SUPERVISOR])
    client.post(reverse("billing:adjustment_decide", args=[adjustment.pk, "approve"]))
    adjustment.refresh_from_db()
    assert adjustment.status == Adjustment.Status.POSTED


def test_a_bad_account_number_is_named(client, role_users):
    client.force_login(role_users[Role.BILLING])
    response = client.post(
        reverse("billing:adjustment_request"),
        {"account": "1000000017", "amount": "-5", "reason": "leak", "note": "x"},
    )
    assert response.status_code == 400
    assert "fails its check digit" in response.content.decode()


def test_cancel_and_rebill_reverses_the_bill_and_issues_a_correction(billable_city):
    billable_city(3)
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    bill_run_work(run.pk)
    bill = Bill.objects.filter(run=run).first()
    before = account_balance(bill.account_id)
    rebill = bill_cancel_rebill(
        bill_id=bill.pk, reason="read corrected", by=UserFactory(), book=ratebook_from_db()
    )
    bill.refresh_from_db()
    assert bill.status == Bill.Status.CANCELLED
    assert rebill.rebill_of == bill and rebill.period_end == bill.period_end
    assert JournalEntry.objects.filter(reverses=bill.entry).exists()
    assert account_balance(bill.account_id) == before  # same reads, same charges
    with pytest.raises(ValidationError, match="Only an issued bill"):
        bill_cancel_rebill(
            bill_id=bill.pk, reason="again", by=UserFactory(), book=ratebook_from_db()
        )


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+CMD", "'+CMD"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-12.50", "-12.50"),
        ("Leak credit", "Leak credit"),
        (12, 12),
    ],
)
def test_exports_neutralise_formulas(cell, safe):
    assert neutralise(cell) == safe


def test_the_adjustment_export_is_formula_safe(client, role_users):
    account = AccountFactory()
    adjustment_request(
        account=account,
        amount=D("-5"),
        reason="other",
        note='=HYPERLINK("x")',
        requested_by=role_users[Role.BILLING],
    )
    client.force_login(role_users[Role.SUPERVISOR])
    response = client.get(reverse("billing:adjustments"), {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    note = rows[1][rows[0].index("Note")]
    assert note.startswith("'=")

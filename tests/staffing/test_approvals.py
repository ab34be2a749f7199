"""The supervisors' approvals inbox: every registered kind's pending
requests in one list, each decided through its own app's service."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import JournalEntry
from accounts.selectors import account_balance
from accounts.services import Charge, charges_post, payment_post
from billing.models import Adjustment
from billing.services.adjustments import adjustment_request
from cashiering.models import CreditRefund
from cashiering.services.refunds import refund_request
from credit.models import WriteOff
from credit.services.write_offs import write_off_request
from mesa_cs.lib.roles import Role
from staffing.approvals import (
    ApprovalKind,
    Pending,
    approval_kind,
    approval_kinds,
    register_approval_kind,
)
from staffing.models import WorkItem
from staffing.selectors import approvals_pending, approvals_waiting
from staffing.services import approval_decide
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def _owing(amount="300.00"):
    account = AccountFactory(status="final")
    charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=date(2026, 10, 31),
        description="Final bill",
        charges=[Charge(D(amount), "water")],
    )
    return account


@pytest.fixture
def requests_waiting(role_users):
    """One pending request of each kind, asked by people with full names."""
    biller = UserFactory(first_name="Bea", last_name="Biller", role=Role.BILLING)
    cashier = UserFactory(first_name="Cal", last_name="Cashman", role=Role.CASHIER)
    collector = UserFactory(first_name="Cora", last_name="Credito", role=Role.CREDIT)
    adjustment = adjustment_request(
        account=AccountFactory(),
        amount=D("-250.00"),
        reason="billing_error",
        note="Read keyed twice",
        requested_by=biller,
        utility="water",
    )
    credited = AccountFactory()
    payment_post(account=credited, amount=D("80.00"), effective_on=date(2026, 11, 1))
    refund = refund_request(
        account=credited, amount=D("80.00"), reason="Final bill paid twice", requested_by=cashier
    )
    write_off = write_off_request(
        account=_owing(), amount=D("300.00"), reason="Moved, no address", requested_by=collector
    )
    return {"adjustment": adjustment, "refund": refund, "write-off": write_off}


def test_the_apps_register_their_kinds_and_staffing_imports_none_of_them():
    assert {kind.name for kind in approval_kinds()} >= {
        "adjustment",
        "refund",
        "write-off",
        "void",
        "drawer-sign-off",
        "arrangement",
    }
    assert approval_kind("adjustment").label == "Billing adjustment"
    assert approval_kind("nothing") is None


def test_a_registered_kind_is_listed_and_counted():
    since = timezone.now()
    fake = ApprovalKind(
        name="test-kind",
        label="Test kind",
        pending=lambda: [
            Pending("test-kind", 7, "A test", "Tess Ter", "because", D("1.00"), since)
        ],
        count=lambda: 1,
        approve=lambda *, pk, by: None,
        decline=lambda *, pk, by, why: None,
    )
    register_approval_kind(fake)
    try:
        assert approvals_waiting()["Test kind"] == 1
        assert [r.pk for r in approvals_pending() if r.kind == "test-kind"] == [7]
    finally:
        from staffing import approvals

        approvals._KINDS.pop("test-kind")


def test_the_inbox_lists_every_kind_with_what_who_why_how_much_and_since(requests_waiting):
    rows = {row.kind: row for row in approvals_pending()}
    assert set(rows) == {"adjustment", "refund", "write-off"}
    assert rows["adjustment"].requested_by == "Bea Biller"
    assert rows["adjustment"].why == "Read keyed twice"
    assert rows["adjustment"].amount == D("-250.00")
    assert rows["refund"].requested_by == "Cal Cashman"
    assert rows["refund"].amount == D("80.00")
    assert rows["write-off"].requested_by == "Cora Credito"
    assert rows["write-off"].why == "Moved, no address"
    assert approvals_waiting() == {
        "Billing adjustment": 1,
        "Refund": 1,
        "Write-off": 1,
        # Their own tests fill these (tests/cashiering/test_pending_approvals.py,
        # tests/credit/test_arrangements.py, tests/billing/test_rate_scenario_approval.py).
        "Payment void": 0,
        "Drawer over/short sign-off": 0,
        "Arrangement override": 0,
        "Rate scenario": 0,
    }
    since = [row.since for row in approvals_pending()]
    assert since == sorted(since)


@pytest.mark.parametrize(
    ("kind", "model", "approved"),
    [
        ("adjustment", Adjustment, Adjustment.Status.POSTED),
        ("refund", CreditRefund, CreditRefund.Status.APPROVED),
        ("write-off", WriteOff, WriteOff.Status.POSTED),
    ],
)
def test_approving_through_the_inbox_posts_through_the_kinds_own_service(
    requests_waiting, role_users, kind, model, approved
):
    record = requests_waiting[kind]
    supervisor = role_users[Role.SUPERVISOR]
    before = account_balance(record.account_id)
    approval_decide(kind=kind, pk=record.pk, by=supervisor, approve=True, reason="Checked the file")
    record = model.objects.get(pk=record.pk)
    assert record.status == approved
    assert record.decided_by == supervisor
    assert record.entry_id is not None
    assert account_balance(record.account_id) != before
    work_kind, source_key = approval_kind(kind).work_item(record.pk)
    item = WorkItem.objects.get(kind=work_kind, source_key=source_key)
    assert item.is_closed
    assert item.notes.get().text == "Approved: Checked the file"
    assert kind not in {row.kind for row in approvals_pending()}


@pytest.mark.parametrize(
    ("kind", "model", "declined"),
    [
        ("adjustment", Adjustment, Adjustment.Status.REJECTED),
        ("refund", CreditRefund, CreditRefund.Status.REJECTED),
        ("write-off", WriteOff, WriteOff.Status.REJECTED),
    ],
)
def test_declining_through_the_inbox_needs_a_reason_and_posts_nothing(
    requests_waiting, role_users, kind, model, declined
):
    record = requests_waiting[kind]
    supervisor = role_users[Role.SUPERVISOR]
    before = account_balance(record.account_id)
    with pytest.raises(ValidationError, match="Say why"):
        approval_decide(kind=kind, pk=record.pk, by=supervisor, approve=False, reason=" ")
    approval_decide(kind=kind, pk=record.pk, by=supervisor, approve=False, reason="No proof")
    record = model.objects.get(pk=record.pk)
    assert record.status == declined
    assert record.entry_id is None
    assert account_balance(record.account_id) == before
    with pytest.raises(ValidationError, match="already been decided"):
        approval_decide(kind=kind, pk=record.pk, by=supervisor, approve=True, reason="")


def test_nobody_decides_their_own_request_from_the_inbox(requests_waiting):
    refund = requests_waiting["refund"]
    with pytest.raises(ValidationError, match="own"):
        approval_decide(
            kind="refund", pk=refund.pk, by=refund.requested_by, approve=True, reason=""
        )


def test_the_inbox_page_admits_supervisors_and_administrators_only(client_as, requests_waiting):
    url = reverse("staffing:approvals")
    for role in Role:
        response = client_as(role).get(url)
        if role in (Role.SUPERVISOR, Role.ADMINISTRATOR):
            assert response.status_code == 200, role
            page = response.content.decode()
            assert "Bea Biller" in page and "Cal Cashman" in page and "Cora Credito" in page
            assert "−$250.00" in page and "$80.00" in page
        else:
            assert response.status_code == 403, role
            adjustment = requests_waiting["adjustment"]
            decide = reverse("staffing:approval_decide", args=["adjustment", adjustment.pk])
            assert client_as(role).post(decide, {"decision": "approve"}).status_code == 403


def test_deciding_in_place_returns_the_decided_row(client_as, requests_waiting):
    write_off = requests_waiting["write-off"]
    client = client_as(Role.SUPERVISOR)
    url = reverse("staffing:approval_decide", args=["write-off", write_off.pk])
    refused = client.post(url, {"decision": "decline", "reason": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    assert "Say why" in refused.content.decode()
    response = client.post(
        url, {"decision": "decline", "reason": "Customer found"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'data-decided="Declined"' in response.content.decode()
    assert WriteOff.objects.get(pk=write_off.pk).status == WriteOff.Status.REJECTED


def test_an_unknown_kind_or_request_is_not_found(client_as):
    client = client_as(Role.SUPERVISOR)
    unknown = reverse("staffing:approval_decide", args=["nothing", 1])
    assert client.post(unknown, {"decision": "approve"}).status_code == 404
    missing = reverse("staffing:approval_decide", args=["refund", 999999])
    assert client.post(missing, {"decision": "approve"}).status_code == 404

"""Voids and drawer sign-offs a supervisor decides later, from the approvals
inbox, when none signs in at the counter (issue 13, item 4)."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import account_balance
from cashiering.models import DrawerShift, Payment, TenderSource, VoidRequest
from cashiering.services.corrections import payment_void, void_request
from cashiering.services.deposits import deposit_prepare
from cashiering.services.drawers import shift_close, shift_open
from cashiering.services.payments import TenderLine, payment_take
from mesa_cs.lib.roles import Role
from staffing.approvals import approval_kind
from staffing.models import WorkItem
from staffing.selectors import approvals_pending, approvals_waiting
from staffing.services import approval_decide
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(shift):
    account = AccountFactory()
    payment = payment_take(
        source=shift.source,
        shift=shift,
        received_on=timezone.localdate(),
        tenders=[TenderLine("CASH", D("30.00"))],
        allocations=[(account, D("30.00"))],
        idempotency_key="pending-1",
    )
    return account, payment


def _work_item(kind_name, pk):
    kind, key = approval_kind(kind_name).work_item(pk)
    return WorkItem.objects.get(kind=kind, source_key=key)


# --- Voids -------------------------------------------------------------------------------


def test_a_void_asked_for_waits_in_the_inbox_and_voids_when_approved(paid, role_users):
    account, payment = paid
    cashier, supervisor = role_users[Role.CASHIER], role_users[Role.SUPERVISOR]
    asked = void_request(
        payment_id=payment.pk, reason="Keyed the wrong account", requested_by=cashier
    )
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.POSTED
    assert account_balance(account.pk) == D("-30.00")
    row = next(row for row in approvals_pending() if row.kind == "void")
    assert (row.pk, row.amount, row.why) == (asked.pk, D("30.00"), "Keyed the wrong account")
    assert row.account_number == account.number
    assert row.url == reverse("cashiering:payment", args=[payment.pk])
    assert approvals_waiting()["Payment void"] == 1
    assert not _work_item("void", asked.pk).is_closed

    approval_decide(kind="void", pk=asked.pk, by=supervisor, approve=True, reason="Seen the stub")
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.VOIDED
    assert account_balance(account.pk) == D("0.00")
    asked.refresh_from_db()
    assert asked.status == VoidRequest.Status.APPROVED and asked.decided_by == supervisor
    assert _work_item("void", asked.pk).is_closed
    assert approvals_waiting()["Payment void"] == 0


def test_a_void_is_decided_by_another_supervisor_only(paid, role_users):
    _, payment = paid
    asker = UserFactory(role=Role.SUPERVISOR)
    asked = void_request(payment_id=payment.pk, reason="Duplicate", requested_by=asker)
    with pytest.raises(ValidationError, match="own void"):
        approval_decide(kind="void", pk=asked.pk, by=asker, approve=True, reason="")
    with pytest.raises(ValidationError, match="own void"):
        payment_void(payment_id=payment.pk, supervisor=asker, reason="Duplicate")
    with pytest.raises(ValidationError, match="A supervisor decides"):
        approval_decide(
            kind="void", pk=asked.pk, by=role_users[Role.CASHIER], approve=True, reason=""
        )
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.POSTED


def test_a_void_waits_once_and_a_decline_keeps_the_payment(paid, role_users):
    _, payment = paid
    cashier, supervisor = role_users[Role.CASHIER], role_users[Role.SUPERVISOR]
    asked = void_request(payment_id=payment.pk, reason="Duplicate", requested_by=cashier)
    with pytest.raises(ValidationError, match="already waits"):
        void_request(payment_id=payment.pk, reason="Again", requested_by=cashier)
    with pytest.raises(ValidationError, match="Say why"):
        approval_decide(kind="void", pk=asked.pk, by=supervisor, approve=False, reason="")
    approval_decide(
        kind="void", pk=asked.pk, by=supervisor, approve=False, reason="Not a duplicate"
    )
    asked.refresh_from_db()
    assert asked.status == VoidRequest.Status.DECLINED
    assert asked.decline_reason == "Not a duplicate"
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.POSTED
    assert _work_item("void", asked.pk).notes.get().text == "Declined: Not a duplicate"
    # Declined, it may be asked for again.
    assert void_request(payment_id=payment.pk, reason="Customer asks", requested_by=cashier)


def test_a_void_at_the_counter_approves_the_one_asked_for(paid, role_users):
    _, payment = paid
    asked = void_request(
        payment_id=payment.pk, reason="Duplicate", requested_by=role_users[Role.CASHIER]
    )
    payment_void(payment_id=payment.pk, supervisor=role_users[Role.SUPERVISOR], reason="Dup")
    asked.refresh_from_db()
    assert asked.status == VoidRequest.Status.APPROVED
    assert _work_item("void", asked.pk).is_closed
    assert "void" not in {row.kind for row in approvals_pending()}


def test_the_drawer_does_not_close_while_a_void_waits(shift, paid, role_users):
    _, payment = paid
    void_request(payment_id=payment.pk, reason="Duplicate", requested_by=shift.cashier)
    with pytest.raises(ValidationError, match="void .* waits"):
        shift_close(
            shift_id=shift.pk,
            cashier=shift.cashier,
            denominations={"100": 2, "20": 1, "10": 1},
            checks=[],
        )


def test_no_void_is_asked_for_a_payment_that_can_no_longer_be_voided(shift, paid, role_users):
    _, payment = paid
    shift_close(
        shift_id=shift.pk,
        cashier=shift.cashier,
        denominations={"100": 2, "20": 1, "10": 1},
        checks=[],
    )
    with pytest.raises(ValidationError, match="shift still open"):
        void_request(payment_id=payment.pk, reason="Too late", requested_by=shift.cashier)


def test_the_payment_page_asks_for_the_void_without_a_sign_in(client_as, paid):
    _, payment = paid
    cashier = client_as(Role.CASHIER)
    url = reverse("cashiering:payment_void", args=[payment.pk])
    page = cashier.post(url, {"reason": "Wrong account", "supervisor": ""}, follow=True)
    html = page.content.decode()
    assert "waits for a supervisor" in html
    assert "A void waits for a supervisor's approval since" in html
    asked = VoidRequest.objects.get(payment=payment)
    assert asked.status == VoidRequest.Status.PENDING and asked.reason == "Wrong account"
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.POSTED
    # The form gives way to the waiting request: no second one from the page.
    assert 'id="void-reason"' not in html


# --- Drawer sign-offs ----------------------------------------------------------------------


@pytest.fixture
def short_drawer(shift):
    """The cashier closes $10.00 short (over the $5.00 threshold) with no
    supervisor at the counter."""
    payment_take(
        source=shift.source,
        shift=shift,
        received_on=timezone.localdate(),
        tenders=[TenderLine("CASH", D("100.00"))],
        allocations=[(AccountFactory(), D("100.00"))],
        idempotency_key="short-1",
    )
    return shift_close(
        shift_id=shift.pk,
        cashier=shift.cashier,
        denominations={"100": 2, "50": 1, "20": 2},  # 290.00 of 300.00
        checks=[],
        reason="Gave wrong change",
    )


def test_a_difference_over_the_threshold_waits_for_a_sign_off(short_drawer, role_users):
    assert short_drawer.status == DrawerShift.Status.CLOSED
    assert short_drawer.difference == D("-10.00") and short_drawer.over_short_entry_id
    assert short_drawer.awaits_sign_off and short_drawer.signed_off_by is None
    row = next(row for row in approvals_pending() if row.kind == "drawer-sign-off")
    assert row.amount == D("-10.00") and row.why == "Gave wrong change"
    assert row.what.startswith("Drawer short on ") and row.concerns == str(short_drawer.source)
    assert approvals_waiting()["Drawer over/short sign-off"] == 1
    with pytest.raises(ValidationError, match="sign-off"):
        deposit_prepare(shift_ids=[short_drawer.pk], prepared_by=role_users[Role.SUPERVISOR])


def test_a_signed_off_drawer_goes_to_the_bank(short_drawer, role_users):
    supervisor = role_users[Role.SUPERVISOR]
    with pytest.raises(ValidationError, match="own drawer"):
        approval_decide(
            kind="drawer-sign-off",
            pk=short_drawer.pk,
            by=short_drawer.cashier,
            approve=True,
            reason="",
        )
    item = _work_item("drawer-sign-off", short_drawer.pk)
    approval_decide(
        kind="drawer-sign-off", pk=short_drawer.pk, by=supervisor, approve=True, reason="Recounted"
    )
    short_drawer.refresh_from_db()
    assert short_drawer.signed_off_by == supervisor and not short_drawer.awaits_sign_off
    item.refresh_from_db()
    assert item.is_closed and item.notes.get().text == "Approved: Recounted"
    deposit = deposit_prepare(shift_ids=[short_drawer.pk], prepared_by=supervisor)
    assert deposit.cash == D("90.00")  # 290.00 counted less the 200.00 float


def test_a_declined_sign_off_reopens_the_drawer_for_a_recount(short_drawer, role_users):
    supervisor = role_users[Role.SUPERVISOR]
    approval_decide(
        kind="drawer-sign-off",
        pk=short_drawer.pk,
        by=supervisor,
        approve=False,
        reason="Count the twenties again",
    )
    shift = DrawerShift.objects.get(pk=short_drawer.pk)
    assert shift.status == DrawerShift.Status.OPEN and shift.reopen_count == 1
    assert shift.over_short_entry is None and not shift.awaits_sign_off
    assert "sign-off declined: Count the twenties again" in shift.difference_reason
    assert "drawer-sign-off" not in {row.kind for row in approvals_pending()}
    # Counted right this time, it closes balanced with nothing to sign off.
    closed = shift_close(
        shift_id=shift.pk,
        cashier=shift.cashier,
        denominations={"100": 3},
        checks=[],
    )
    assert closed.difference == 0 and not closed.awaits_sign_off


def test_a_decline_waits_while_the_cashier_has_another_drawer_open(short_drawer, role_users):
    shift_open(
        source=TenderSource.objects.get(code="EAST"),
        cashier=short_drawer.cashier,
        opening_float=D("100.00"),
    )
    with pytest.raises(ValidationError, match="another shift open"):
        approval_decide(
            kind="drawer-sign-off",
            pk=short_drawer.pk,
            by=role_users[Role.SUPERVISOR],
            approve=False,
            reason="Recount",
        )
    assert DrawerShift.objects.get(pk=short_drawer.pk).awaits_sign_off


def test_a_supervisor_at_the_counter_signs_off_there(shift, role_users):
    payment_take(
        source=shift.source,
        shift=shift,
        received_on=timezone.localdate(),
        tenders=[TenderLine("CASH", D("100.00"))],
        allocations=[(AccountFactory(), D("100.00"))],
        idempotency_key="short-2",
    )
    closed = shift_close(
        shift_id=shift.pk,
        cashier=shift.cashier,
        denominations={"100": 2, "50": 1, "20": 2},
        checks=[],
        reason="Gave wrong change",
        signed_off_by=role_users[Role.SUPERVISOR],
    )
    assert closed.signed_off_by == role_users[Role.SUPERVISOR] and not closed.awaits_sign_off
    assert "drawer-sign-off" not in {row.kind for row in approvals_pending()}


def test_the_close_page_says_the_drawer_waits_for_a_sign_off(client_as, shift):
    payment_take(
        source=shift.source,
        shift=shift,
        received_on=timezone.localdate(),
        tenders=[TenderLine("CASH", D("100.00"))],
        allocations=[(AccountFactory(), D("100.00"))],
        idempotency_key="short-3",
    )
    cashier = client_as(Role.CASHIER)
    url = reverse("cashiering:close_drawer", args=[shift.pk])
    form = cashier.get(url).content.decode()
    assert "waits for a sign-off in the approvals inbox" in form
    done = cashier.post(
        url,
        {"d_100": "2", "d_50": "1", "d_20": "2", "checks": "", "reason": "Wrong change"},
        follow=True,
    )
    assert "waits for a supervisor&#x27;s sign-off" in done.content.decode()
    assert DrawerShift.objects.get(pk=shift.pk).awaits_sign_off

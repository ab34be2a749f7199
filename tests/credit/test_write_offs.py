"""Write-offs need a second person, a supervisor; recoveries never exceed
what was written off."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import GLAccount, JournalEntry
from accounts.selectors import account_balance
from accounts.services import Charge, charges_post, payment_post
from credit.models import WriteOff
from credit.selectors.cases import recoverable
from credit.services.write_offs import (
    recovery_post,
    write_off_approve,
    write_off_reject,
    write_off_request,
)
from mesa_cs.lib.roles import Role
from staffing.models import WorkItem
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owing():
    """$60.00 of water and, later, $120.00 of electric, all unpaid."""
    account = AccountFactory(status="final")
    for on, amount, utility in [
        (date(2026, 5, 31), "60.00", "water"),
        (date(2026, 6, 30), "120.00", "electric"),
    ]:
        charges_post(
            account=account,
            kind=JournalEntry.Kind.BILL,
            effective_on=on,
            description="Final bill",
            charges=[Charge(D(amount), utility)],
        )
    return account


def request(account, user, amount="100.00"):
    return write_off_request(
        account=account,
        amount=D(amount),
        reason="Moved away, no forwarding address",
        requested_by=user,
    )


def test_a_write_off_posts_only_when_another_supervisor_approves(owing, role_users):
    credit = role_users[Role.CREDIT]
    write_off = request(owing, credit)
    item = WorkItem.objects.get(source_key=f"write-off:{write_off.pk}")
    assert item.section == "credit" and item.kind == "write_off_approval"
    assert item.status == "open" and item.account == owing

    with pytest.raises(ValidationError, match="own write-off"):
        write_off_approve(write_off_id=write_off.pk, by=credit)
    with pytest.raises(ValidationError, match="supervisor"):
        write_off_approve(
            write_off_id=write_off.pk, by=UserFactory(username="credit2", role=Role.CREDIT)
        )
    assert account_balance(owing.pk) == D("180.00")

    write_off_approve(write_off_id=write_off.pk, by=role_users[Role.SUPERVISOR])
    write_off.refresh_from_db()
    assert write_off.status == WriteOff.Status.POSTED
    assert write_off.decided_by == role_users[Role.SUPERVISOR]
    assert account_balance(owing.pk) == D("80.00")
    legs = {
        (leg.gl_account.purpose, leg.gl_account.utility): leg.amount
        for leg in write_off.entry.legs.select_related("gl_account")
    }
    # Oldest charges first: all of the water, then $40.00 of the electric.
    assert legs == {
        (GLAccount.Purpose.BAD_DEBT, ""): D("100.00"),
        (GLAccount.Purpose.RECEIVABLE, "water"): D("-60.00"),
        (GLAccount.Purpose.RECEIVABLE, "electric"): D("-40.00"),
    }
    assert write_off.entry.kind == JournalEntry.Kind.WRITE_OFF
    item.refresh_from_db()
    assert item.status == "closed" and item.outcome == "Approved and posted"
    with pytest.raises(ValidationError, match="already been decided"):
        write_off_approve(write_off_id=write_off.pk, by=role_users[Role.ADMINISTRATOR])


def test_the_database_refuses_a_write_off_decided_by_its_requester(owing, role_users):
    from django.db import IntegrityError, transaction

    write_off = request(owing, role_users[Role.SUPERVISOR])
    with pytest.raises(IntegrityError), transaction.atomic():
        WriteOff.objects.filter(pk=write_off.pk).update(decided_by=role_users[Role.SUPERVISOR])


def test_asking_twice_while_one_is_pending_returns_the_pending_one(owing, role_users):
    first = request(owing, role_users[Role.CREDIT])
    again = request(owing, role_users[Role.CREDIT], amount="180.00")
    assert again.pk == first.pk and WriteOff.objects.count() == 1
    assert WorkItem.objects.filter(kind="write_off_approval").count() == 1


def test_the_amount_may_not_exceed_the_balance_then_or_at_approval(owing, role_users):
    with pytest.raises(ValidationError, match="owes \\$180.00"):
        request(owing, role_users[Role.CREDIT], amount="180.01")
    write_off = request(owing, role_users[Role.CREDIT], amount="180.00")
    payment_post(account=owing, amount=D("50.00"), effective_on=date(2026, 7, 10))
    with pytest.raises(ValidationError, match="now owes \\$130.00"):
        write_off_approve(write_off_id=write_off.pk, by=role_users[Role.SUPERVISOR])
    write_off_reject(
        write_off_id=write_off.pk, by=role_users[Role.SUPERVISOR], why="customer paid some"
    )
    write_off.refresh_from_db()
    assert write_off.status == WriteOff.Status.REJECTED and "customer paid some" in write_off.reason
    assert WorkItem.objects.get(kind="write_off_approval").outcome == "Rejected: customer paid some"
    assert account_balance(owing.pk) == D("130.00")


def test_a_recovery_is_limited_to_what_was_written_off_less_recovered(owing, role_users):
    credit, supervisor = role_users[Role.CREDIT], role_users[Role.SUPERVISOR]
    with pytest.raises(ValidationError, match="\\$0.00 of the account's written-off debt"):
        recovery_post(
            account=owing,
            amount=D("1.00"),
            on=date(2026, 8, 1),
            by=credit,
            description="agency remittance",
        )
    write_off_approve(write_off_id=request(owing, credit).pk, by=supervisor)
    entry = recovery_post(
        account=owing,
        amount=D("60.00"),
        on=date(2026, 8, 1),
        by=credit,
        description="agency remittance",
    )
    assert entry.kind == JournalEntry.Kind.RECOVERY
    legs = {leg.gl_account.purpose: leg.amount for leg in entry.legs.select_related("gl_account")}
    assert legs == {GLAccount.Purpose.CASH: D("60.00"), GLAccount.Purpose.BAD_DEBT: D("-60.00")}
    assert account_balance(owing.pk) == D("80.00")  # the customer's balance does not move
    assert recoverable(owing.pk) == D("40.00")
    with pytest.raises(ValidationError, match="\\$40.00 of the account's written-off debt"):
        recovery_post(
            account=owing,
            amount=D("40.01"),
            on=date(2026, 9, 1),
            by=credit,
            description="agency remittance",
        )
    recovery_post(
        account=owing,
        amount=D("40.00"),
        on=date(2026, 9, 1),
        by=credit,
        description="agency remittance",
    )
    assert recoverable(owing.pk) == D("0.00")


def test_the_pages_request_list_and_decide(client_as, owing):
    credit = client_as(Role.CREDIT)
    url = reverse("credit:write_off_account", args=[owing.number])
    refused = credit.post(url, {"amount": "500.00", "reason": "gone"})
    assert refused.status_code == 400 and "owes $180.00" in refused.content.decode()
    done = credit.post(url, {"amount": "180.00", "reason": "gone"}, follow=True)
    assert "waiting for a supervisor" in done.content.decode()
    write_off = WriteOff.objects.get()

    listing = credit.get(reverse("credit:write_offs")).content.decode()
    assert owing.number in listing and "Waiting for a supervisor" in listing
    decide = reverse("credit:write_off_decide", args=[write_off.pk, "approve"])
    assert credit.post(decide).status_code == 403

    supervisor = client_as(Role.SUPERVISOR)
    page = supervisor.get(reverse("credit:write_offs")).content.decode()
    assert decide in page
    supervisor.post(decide)
    assert WriteOff.objects.get().status == WriteOff.Status.POSTED
    assert account_balance(owing.pk) == D("0.00")
    pending = supervisor.get(reverse("credit:write_offs")).content.decode()
    assert "No write-offs match." in pending
    export = supervisor.get(reverse("credit:write_offs"), {"status": "", "_export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    assert owing.number in export.content.decode() and "Decision" not in export.content.decode()

    recovery = supervisor.post(
        reverse("credit:recovery_new", args=[owing.number]),
        {
            "recovery-amount": "25.00",
            "recovery-on": "2026-09-01",
            "recovery-description": "=agency remittance",
        },
        follow=True,
    )
    assert "Recovery of $25.00 posted" in recovery.content.decode()
    assert recoverable(owing.pk) == D("155.00")

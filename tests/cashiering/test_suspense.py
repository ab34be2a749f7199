from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pghistory.models import MiddlewareEvents

from accounts.selectors import account_balance, ledger_unbalanced_entries
from cashiering.models import PaymentFile, SuspenseItem
from cashiering.services.payment_files import payment_file_import
from cashiering.services.suspense import suspense_apply, suspense_refund
from mesa_cs.lib.roles import Role
from tests.cashiering.test_payment_files import remit
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    payment_file_import(
        content=remit(
            "H,LBX-9,2026-02-01,LOCKBOX",
            "P,ITEM-77,1234567890,40.00,CHECK,77,Ana Cruz",
            "T,1,40.00,0,0",
        ),
        name="lbx.csv",
    )
    return SuspenseItem.objects.get()


def test_a_held_payment_is_applied_to_the_right_account(held):
    account, clerk = AccountFactory(), UserFactory()
    suspense_apply(
        item_id=held.pk, account=account, by=clerk, note="Typo in the stub; called the customer"
    )
    held.refresh_from_db()
    assert held.status == SuspenseItem.Status.APPLIED and held.applied_account == account
    assert account_balance(account.pk) == D("-40.00")
    with pytest.raises(ValidationError, match="already been resolved"):
        suspense_apply(item_id=held.pk, account=account, by=clerk)
    assert ledger_unbalanced_entries() == []


def test_a_held_payment_can_be_refunded_with_a_note(held):
    with pytest.raises(ValidationError):
        suspense_refund(item_id=held.pk, by=UserFactory(), note=" ")
    suspense_refund(
        item_id=held.pk, by=UserFactory(), note="No such customer; check returned to Ana Cruz"
    )
    held.refresh_from_db()
    assert held.status == SuspenseItem.Status.REFUNDED


def test_each_suspense_step_is_audited_with_the_page(client_as, held, role_users):
    account = AccountFactory()
    client = client_as(Role.CASHIER)
    client.post(
        reverse("cashiering:suspense_act", args=[held.pk, "apply"]), {"account": account.number}
    )
    update = MiddlewareEvents.objects.tracks(held).filter(pgh_label="update").last()
    assert update.pgh_context["username"] == "cashier"
    assert update.pgh_context["url"].startswith("/cashiering/suspense/")


def test_supervisors_upload_payment_files_in_the_browser(client_as):
    account = AccountFactory()
    upload = SimpleUploadedFile(
        "kiosk.csv",
        remit("H,KSK-1,2026-02-02,KIOSK", f"P,K-1,{account.number},12.00,CASH,,x", "T,1,12.00,0,0"),
    )
    response = client_as(Role.SUPERVISOR).post(
        reverse("cashiering:payment_files"), {"file": upload}
    )
    assert "KSK-1: Accepted" in response.content.decode()
    assert PaymentFile.objects.get().status == "accepted"
    assert client_as(Role.CASHIER).get(reverse("cashiering:payment_files")).status_code == 403


def test_a_held_payment_waits_in_the_business_office_queue_until_resolved(held):
    from staffing.models import WorkItem

    item = WorkItem.objects.get(kind="suspense_payment", source_key=f"suspense:{held.pk}")
    assert item.section == "business_office" and item.skill.code == "cashiering"
    assert "$40.00" in item.title and "ITEM-77" in item.title
    assert item.due_on is not None and item.status == WorkItem.Status.OPEN
    # Importing the same file again holds nothing new and opens nothing new.
    account = AccountFactory()
    suspense_apply(item_id=held.pk, account=account, by=UserFactory(), note="Stub typo")
    item.refresh_from_db()
    assert item.status == WorkItem.Status.CLOSED
    assert item.outcome == f"Applied to an account: {account.number}"


def test_an_unmatched_return_opens_its_own_work_item():
    from staffing.models import WorkItem

    payment_file_import(
        content=remit(
            "H,LBX-RET-9,2026-01-20,LOCKBOX", "R,NOPE-9,R02,12.00,2026-01-19", "T,0,0.00,1,12.00"
        ),
        name="ret.csv",
    )
    unmatched = SuspenseItem.objects.get(kind=SuspenseItem.Kind.RETURN)
    item = WorkItem.objects.get(kind="unmatched_return")
    assert item.source_key == f"suspense:{unmatched.pk}" and item.section == "business_office"
    assert "R02" in item.title

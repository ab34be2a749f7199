"""Agency referrals: the Regulation F itemisation, one open referral per
account, and a placement file that is formula-safe and the same every time."""

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import GLAccount, JournalEntry
from accounts.services import Charge, charges_post, payment_post
from credit.models import AgencyReferral
from credit.services.agency import (
    agency_export,
    agency_recall,
    agency_recall_paid,
    agency_refer,
)
from mesa_cs.lib.roles import Role
from tests.credit.test_bankruptcy import bill
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

REFERRED = date(2026, 6, 15)


@pytest.fixture
def final_account():
    """February unpaid ($100.00), the final bill of 03/31 ($200.00); since
    then a late fee, a payment and a credit adjustment."""
    account = AccountFactory(status="final", name="Dana Ortiz")
    bill(account, date(2026, 2, 28), "100.00")
    bill(account, date(2026, 3, 31), "200.00")
    charges_post(
        account=account,
        kind=JournalEntry.Kind.LATE_FEE,
        effective_on=date(2026, 4, 22),
        description="Late fee",
        charges=[
            Charge(D("6.00"), revenue_purpose=GLAccount.Purpose.FEES),
            Charge(D("0.50"), revenue_purpose=GLAccount.Purpose.TAX),
        ],
    )
    payment_post(account=account, amount=D("50.00"), effective_on=date(2026, 4, 25))
    charges_post(
        account=account,
        kind=JournalEntry.Kind.ADJUSTMENT,
        effective_on=date(2026, 5, 2),
        description="Estimated read corrected",
        charges=[Charge(D("-10.00"), "water")],
    )
    return account


def test_the_referral_itemises_what_a_validation_notice_needs(final_account, role_users):
    referral = agency_refer(account=final_account, on=REFERRED, by=role_users[Role.CREDIT])
    assert referral.amount == D("246.50")
    item = referral.itemisation
    assert item["creditor"] == "City of Mesa Utilities"
    assert item["account_number"] == final_account.number
    assert item["debtor_name"] == "Dana Ortiz"
    assert item["itemization_date"] == "2026-03-31"
    assert item["itemization_basis"] == "final bill"
    assert {
        key: D(item[key])
        for key in (
            "amount_on_itemization_date",
            "interest",
            "fees",
            "payments",
            "credits",
            "current_amount",
        )
    } == {
        "amount_on_itemization_date": D("300.00"),
        "interest": D("0"),
        "fees": D("6.50"),
        "payments": D("50.00"),
        "credits": D("10.00"),
        "current_amount": D("246.50"),
    }
    assert final_account.notes.filter(text__contains="referred to the collection agency").exists()


def test_referring_twice_makes_one_referral(final_account, role_users):
    first = agency_refer(account=final_account, on=REFERRED)
    again = agency_refer(account=final_account, on=date(2026, 6, 16), by=role_users[Role.CREDIT])
    assert again.pk == first.pk and AgencyReferral.objects.count() == 1

    agency_recall(referral=first, on=date(2026, 6, 20), by=role_users[Role.CREDIT])
    agency_recall(referral=first, on=date(2026, 6, 21), by=role_users[Role.CREDIT])
    assert AgencyReferral.objects.get(pk=first.pk).recalled_on == date(2026, 6, 20)
    second = agency_refer(account=final_account, on=date(2026, 7, 1))
    assert second.pk != first.pk and AgencyReferral.objects.count() == 2


def test_only_final_billed_debt_is_referred_and_nothing_owed_is_not(role_users):
    active = AccountFactory()
    bill(active, date(2026, 3, 31), "80.00")
    with pytest.raises(ValidationError, match="only a final-billed account"):
        agency_refer(account=active, on=REFERRED)
    settled = AccountFactory(status="final")
    assert agency_refer(account=settled, on=REFERRED) is None
    assert not AgencyReferral.objects.exists()


def test_paid_in_full_referrals_are_recalled(final_account):
    referral = agency_refer(account=final_account, on=REFERRED)
    assert agency_recall_paid(on=date(2026, 6, 30)) == []
    payment_post(account=final_account, amount=D("246.50"), effective_on=date(2026, 7, 1))
    assert agency_recall_paid(on=date(2026, 7, 2)) == [referral.pk]
    assert AgencyReferral.objects.get().recalled_on == date(2026, 7, 2)
    assert agency_recall_paid(on=date(2026, 7, 3)) == []


def test_the_placement_file_is_formula_safe_and_the_same_twice(final_account, tmp_path):
    final_account.name = '=HYPERLINK("http://evil.example","pay")'
    final_account.save(update_fields=["name"])
    other = AccountFactory(status="final", name="@SUM(A1:A9)")
    bill(other, date(2026, 5, 31), "75.25")
    agency_refer(account=final_account, on=REFERRED)
    agency_refer(account=other, on=REFERRED)
    agency_refer(account=AccountFactory(status="final"), on=date(2026, 6, 16))  # another day

    text = agency_export(referred_on=REFERRED)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["account_number"] for row in rows] == sorted([final_account.number, other.number])
    names = {row["debtor_name"] for row in rows}
    assert names == {'\'=HYPERLINK("http://evil.example","pay")', "'@SUM(A1:A9)"}
    assert all(not value.startswith(("=", "+", "@")) for row in rows for value in row.values())
    by_number = {row["account_number"]: row for row in rows}
    assert by_number[other.number]["current_amount"] == "75.25"
    assert by_number[final_account.number]["fees"] == "6.50"

    out = tmp_path / "placements.csv"
    first, second = io.StringIO(), io.StringIO()
    call_command("export_agency_file", "--date", "2026-06-15", "--out", str(out), stdout=first)
    written = out.read_bytes()
    call_command("export_agency_file", "--date", "2026-06-15", "--out", str(out), stdout=second)
    assert out.read_bytes() == written == text.encode()
    assert first.getvalue() == second.getvalue()
    assert f"Wrote 2 referral(s) placed on 2026-06-15 to {out}" in first.getvalue()


def test_the_referrals_page_filters_exports_and_downloads_the_file(client_as, final_account):
    referral = agency_refer(account=final_account, on=REFERRED)
    credit = client_as(Role.CREDIT)
    url = reverse("credit:referrals")
    assert final_account.number in credit.get(url, {"state": "open"}).content.decode()
    assert final_account.number not in credit.get(url, {"state": "recalled"}).content.decode()
    outside = credit.get(url, {"referred_from": "2026-06-16"}).content.decode()
    assert final_account.number not in outside
    export = credit.get(url, {"referred_to": "2026-06-15", "_export": "csv"})
    assert final_account.number in export.content.decode()
    download = credit.get(reverse("credit:agency_file"), {"day": "2026-06-15"})
    assert download["Content-Disposition"] == (
        'attachment; filename="agency-placements-2026-06-15.csv"'
    )
    assert download.content.decode() == agency_export(referred_on=REFERRED)

    credit.post(reverse("credit:referral_recall", args=[referral.pk]))
    assert AgencyReferral.objects.get().recalled_on is not None
    assert final_account.number in credit.get(url, {"state": "recalled"}).content.decode()

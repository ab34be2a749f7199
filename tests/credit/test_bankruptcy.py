"""Bankruptcy: the pre-petition balance frozen for the claim and kept apart
from post-petition charges, discharge and dismissal, the adequate-assurance
deposit."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import AccountFlag, Deposit, GLAccount, JournalEntry
from accounts.selectors import account_aging, account_balance, receivable_open_items
from accounts.services import Charge, charges_post, payment_post
from billing.models import Bill
from billing.services.late_fees import late_fees_assess
from credit.models import AgencyReferral, Bankruptcy, Hold
from credit.selectors.cases import petition_balances, pre_petition_balance, recoverable
from credit.services.bankruptcy import (
    bankruptcy_discharge,
    bankruptcy_dismiss,
    bankruptcy_record,
)
from credit.services.holds import holds_in_force
from mesa_cs.lib.roles import Role
from staffing.models import WorkItem
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

PETITION = date(2026, 3, 10)
RECORDED = date(2026, 3, 12)


def bill(account, bill_on, amount, utility="water"):
    """An issued bill: its charge on the ledger, due 21 days later."""
    due_on = bill_on + timedelta(days=21)
    entry = charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=bill_on,
        due_on=due_on,
        description=f"Bill {bill_on}",
        charges=[Charge(D(amount), utility)],
    )
    return Bill.objects.create(
        account=account,
        period_start=bill_on - timedelta(days=30),
        period_end=bill_on,
        bill_on=bill_on,
        due_on=due_on,
        previous_balance=D("0"),
        payments=D("0"),
        other_charges=D("0"),
        current_charges=D(amount),
        amount_due=D(amount),
        entry=entry,
    )


@pytest.fixture
def debtor():
    """January paid; February's $130.00 (due 03/21) owed at the petition."""
    account = AccountFactory()
    bill(account, date(2026, 1, 31), "120.00")
    payment_post(account=account, amount=D("120.00"), effective_on=date(2026, 2, 15))
    bill(account, date(2026, 2, 28), "130.00")
    return account


def record(account, by, chapter=7, on=RECORDED):
    return bankruptcy_record(
        account=account,
        case_number="2:26-bk-01234",
        chapter=chapter,
        court="U.S. Bankruptcy Court, District of Arizona",
        petition_on=PETITION,
        recorded_by=by,
        on=on,
    )


def test_the_pre_petition_balance_is_frozen_and_post_petition_bills_are_collectible(
    debtor, role_users
):
    case = record(debtor, role_users[Role.CREDIT])
    assert case.pre_petition_balance == D("130.00")
    assert pre_petition_balance(debtor.pk) == D("130.00")
    # Nothing owed before the petition is on the receivable any more.
    assert account_balance(debtor.pk, as_of=PETITION) == D("0.00")
    assert receivable_open_items(debtor.pk, as_of=PETITION) == []
    freeze = JournalEntry.objects.get(source_key=f"bankruptcy:{case.pk}:freeze")
    assert freeze.kind == JournalEntry.Kind.PREPETITION and freeze.effective_on == PETITION
    legs = {leg.gl_account.purpose: leg.amount for leg in freeze.legs.select_related("gl_account")}
    assert legs == {GLAccount.Purpose.PREPETITION: D("130.00"), "receivable": D("-130.00")}
    assert set(freeze.legs.values_list("account_id", flat=True)) == {debtor.pk}

    # Service after the petition is billed and owed: with the $250.00
    # assurance deposit (2 x $125.00), $340.00, all of it collectible.
    bill(debtor, date(2026, 3, 31), "90.00")
    balances = petition_balances(debtor)
    assert (balances.pre_petition, balances.post_petition) == (D("130.00"), D("340.00"))
    assert account_aging(debtor.pk, as_of=date(2026, 4, 30)).past_due == D("340.00")
    assert WorkItem.objects.get(kind="bankruptcy_claim").title.startswith(
        "File a proof of claim for $130.00"
    )


def test_no_late_fee_is_charged_on_pre_petition_debt(debtor, role_users):
    control = AccountFactory()
    bill(control, date(2026, 2, 28), "130.00")
    record(debtor, role_users[Role.CREDIT])

    late_fees_assess(on=date(2026, 3, 22))  # February's bills fell due 03/21
    fees = JournalEntry.objects.filter(kind=JournalEntry.Kind.LATE_FEE)
    assert list(fees.values_list("account_id", flat=True)) == [control.pk]

    # A post-petition bill left unpaid is charged on post-petition debt only.
    bill(debtor, date(2026, 3, 31), "90.00")
    late_fees_assess(on=date(2026, 4, 22))
    fee = fees.get(account=debtor)
    assert fee.description == "Late fee on $340.00 past due"


def test_discharge_writes_off_exactly_the_frozen_balance(debtor, role_users):
    credit = role_users[Role.CREDIT]
    case = record(debtor, credit)
    owed = account_balance(debtor.pk)
    bankruptcy_discharge(bankruptcy=case, on=date(2026, 7, 1), by=credit)

    case.refresh_from_db()
    assert case.status == Bankruptcy.Status.DISCHARGED and case.closed_on == date(2026, 7, 1)
    entry = JournalEntry.objects.get(source_key=f"bankruptcy:{case.pk}:discharge")
    assert entry.kind == JournalEntry.Kind.WRITE_OFF
    legs = {leg.gl_account.purpose: leg.amount for leg in entry.legs.select_related("gl_account")}
    assert legs == {GLAccount.Purpose.BAD_DEBT: D("130.00"), "prepetition": D("-130.00")}
    assert pre_petition_balance(debtor.pk) == D("0.00")
    assert recoverable(debtor.pk) == D("130.00")
    assert account_balance(debtor.pk) == owed  # post-petition debt is untouched
    assert Hold.objects.get(source_key=f"bankruptcy:{case.pk}").released_on == date(2026, 7, 1)
    flag = AccountFlag.objects.get(account=debtor, kind=AccountFlag.Kind.BANKRUPTCY)
    assert flag.ends_on == date(2026, 7, 1)
    assert not WorkItem.objects.filter(kind="bankruptcy_claim", status="open").exists()
    with pytest.raises(ValidationError, match="already discharged"):
        bankruptcy_dismiss(bankruptcy=case, on=date(2026, 7, 2), by=credit)


def test_dismissal_puts_the_pre_petition_balance_back_at_its_own_age(debtor, role_users):
    credit = role_users[Role.CREDIT]
    case = record(debtor, credit)
    owed = account_balance(debtor.pk)
    bankruptcy_dismiss(bankruptcy=case, on=date(2026, 5, 1), by=credit)

    assert account_balance(debtor.pk) == owed + D("130.00")
    assert pre_petition_balance(debtor.pk) == D("0.00")
    february = [item for item in receivable_open_items(debtor.pk) if item.open_amount == D("130")]
    assert february and february[0].due_on == date(2026, 3, 21)  # past due again at once
    assert Bankruptcy.objects.get(pk=case.pk).status == Bankruptcy.Status.DISMISSED
    assert holds_in_force([debtor.pk], date(2026, 5, 1)) == {}
    assert AccountFlag.objects.get(account=debtor).ends_on == date(2026, 5, 1)


@pytest.mark.parametrize(("chapter", "days"), [(7, 20), (11, 30)])
def test_the_adequate_assurance_deposit_is_twice_the_average_of_the_last_12_bills(
    role_users, chapter, days
):
    account = AccountFactory()
    bill(account, date(2025, 1, 31), "999.00")  # the 13th bill back is not averaged
    for month in range(2, 14):
        year, m = (2025, month) if month <= 12 else (2026, 1)
        bill(account, date(year, m, 28), f"{100 + month}.00")
    average = sum(D(100 + month) for month in range(2, 14)) / 12  # 107.50
    case = record(account, role_users[Role.CREDIT], chapter=chapter)

    deposit = Deposit.objects.get(account=account)
    assert deposit.amount == 2 * average == D("215.00")
    assert deposit.required_on == RECORDED
    assert f"case {case.case_number}" in deposit.reason
    hold = Hold.objects.get(source_key=f"bankruptcy:{case.pk}")
    assert hold.kind == Hold.Kind.BANKRUPTCY
    assert (hold.starts_on, hold.ends_on) == (PETITION, RECORDED + timedelta(days=days))
    assert petition_balances(account).assurance_due_on == RECORDED + timedelta(days=days)
    # The ladder is held until the deposit is due, and free the day after.
    assert account.pk in holds_in_force([account.pk], RECORDED + timedelta(days=days))
    assert holds_in_force([account.pk], RECORDED + timedelta(days=days + 1)) == {}


def test_a_second_open_case_is_refused_and_the_agency_gives_the_debt_back(debtor, role_users):
    credit = role_users[Role.CREDIT]
    referral = AgencyReferral.objects.create(
        account=debtor, referred_on=date(2026, 3, 1), amount=D("130.00")
    )
    case = record(debtor, credit)
    assert AgencyReferral.objects.get(pk=referral.pk).recalled_on == RECORDED
    with pytest.raises(ValidationError, match="already has an open bankruptcy"):
        record(debtor, credit)
    bankruptcy_dismiss(bankruptcy=case, on=date(2026, 5, 1), by=credit)
    again = record(debtor, credit, on=date(2026, 5, 2))
    assert again.status == Bankruptcy.Status.OPEN


def test_recording_refuses_a_future_petition(debtor, role_users):
    with pytest.raises(ValidationError, match="future"):
        bankruptcy_record(
            account=debtor,
            case_number="2:26-bk-9",
            chapter=13,
            court="",
            petition_on=RECORDED + timedelta(days=1),
            recorded_by=role_users[Role.CREDIT],
            on=RECORDED,
        )


def test_a_representative_records_and_discharges_from_the_pages(client_as, debtor):
    credit = client_as(Role.CREDIT)
    form = credit.get(reverse("credit:bankruptcy_new", args=[debtor.number])).content.decode()
    assert 'for="id_petition_on"' in form and "Record the bankruptcy" in form
    response = credit.post(
        reverse("credit:bankruptcy_new", args=[debtor.number]),
        {
            "case_number": "2:26-bk-555",
            "chapter": "13",
            "court": "D. Ariz.",
            "petition_on": "2026-03-10",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "$130.00 frozen for the claim" in page
    case = Bankruptcy.objects.get(account=debtor)
    assert "Still on the pre-petition receivable" in page and "130.00" in page

    refused = credit.post(
        reverse("credit:bankruptcy_new", args=[debtor.number]),
        {
            "case_number": "2:26-bk-556",
            "chapter": "7",
            "court": "D. Ariz.",
            "petition_on": "2026-03-10",
        },
    )
    assert refused.status_code == 400
    assert "already has an open bankruptcy" in refused.content.decode()

    credit.post(
        reverse("credit:bankruptcy_close", args=[case.pk, "discharge"]), {"on": "2026-07-01"}
    )
    assert Bankruptcy.objects.get(pk=case.pk).status == Bankruptcy.Status.DISCHARGED
    listing = credit.get(reverse("credit:bankruptcies"), {"status": "discharged", "_export": "csv"})
    assert "2:26-bk-555" in listing.content.decode()


def test_the_account_cases_tag_shows_both_balances(debtor, role_users):
    record(debtor, role_users[Role.CREDIT])
    request = RequestFactory().get("/")
    request.user = role_users[Role.CREDIT]
    html = Template("{% load credit_cases %}{% account_cases account %}").render(
        Context({"account": debtor, "request": request})
    )
    assert "Pre-petition balance (stayed, on the claim)" in html
    assert "Post-petition balance (collectible)" in html
    assert reverse("credit:write_off_account", args=[debtor.number]) in html
    clerk_request = RequestFactory().get("/")
    clerk_request.user = role_users[Role.CLERK]
    clerk_html = Template("{% load credit_cases %}{% account_cases account %}").render(
        Context({"account": debtor, "request": clerk_request})
    )
    assert "130.00" in clerk_html and "Record a bankruptcy" not in clerk_html

"""Assistance: agency pledges hold collection until paid or expired, MesaCAN's
90 days between pledges, the agency's payment on the ledger; SEA and LISR
enrolments with their eligibility dates; the pages."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Contact, JournalEntry, ProgramEnrolment
from accounts.selectors import account_balance
from accounts.services import Charge, charges_post
from accounts.services.enrolments import enrolment_dates, enrolment_end, enrolment_start
from credit.models import Hold, Pledge
from credit.services.assistance import (
    pledge_paid,
    pledge_record,
    pledges_expire,
)
from credit.services.holds import holds_in_force
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
ON = date(2026, 1, 15)


@pytest.fixture
def account():
    account = AccountFactory()
    charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=date(2025, 12, 5),
        due_on=date(2025, 12, 26),
        description="Bill",
        charges=[Charge(D("310.00"), "electric")],
    )
    return account


@pytest.fixture
def credit(role_users):
    return role_users[Role.CREDIT]


def pledge(account, by, agency="mesacan", amount="150.00", on=ON, expires_on=None):
    return pledge_record(
        account=account,
        agency=agency,
        amount=D(amount),
        reference="ANL-2231",
        expires_on=expires_on or on + timedelta(days=30),
        recorded_by=by,
        on=on,
    )


# --- Pledges -------------------------------------------------------------------------


def test_a_pledge_holds_collection_until_it_expires(account, credit):
    made = pledge(account, credit)
    hold = Hold.objects.get(source_key=f"pledge:{made.pk}")
    assert hold.kind == "pledge" and hold.starts_on == ON and hold.ends_on == date(2026, 2, 14)
    assert holds_in_force([account.pk], ON)[account.pk] == hold
    assert holds_in_force([account.pk], date(2026, 2, 15)) == {}
    contact = Contact.objects.get(account=account)
    assert contact.topic == "assistance" and "ANL-2231" in contact.notes


def test_mesacan_helps_again_only_after_ninety_days(account, credit):
    pledge(account, credit, on=ON)
    with pytest.raises(ValidationError, match="reapply after 90 days, from 04/15/2026"):
        pledge(account, credit, on=ON + timedelta(days=89))
    # Other agencies are not limited by MesaCAN's rule.
    pledge(account, credit, agency="liheap", on=ON + timedelta(days=10))
    again = pledge(account, credit, on=ON + timedelta(days=90))
    assert again.pledged_on == date(2026, 4, 15)


def test_a_cancelled_mesacan_pledge_does_not_count(account, credit):
    first = pledge(account, credit)
    Pledge.objects.filter(pk=first.pk).update(status=Pledge.Status.CANCELLED)
    pledge(account, credit, on=ON + timedelta(days=5))


def test_pledges_are_checked(account, credit):
    with pytest.raises(ValidationError, match="no more than \\$1,200.00"):
        pledge(account, credit, agency="liheap", amount="1200.01")
    with pytest.raises(ValidationError, match="more than \\$0.00"):
        pledge(account, credit, amount="0")
    with pytest.raises(ValidationError, match="expired already"):
        pledge(account, credit, expires_on=ON - timedelta(days=1))
    with pytest.raises(ValidationError, match="Choose the agency"):
        pledge(account, credit, agency="church")


def test_the_agencys_payment_posts_to_the_account_and_releases_the_hold(account, credit):
    made = pledge(account, credit)
    entry = pledge_paid(
        pledge=made, payment_amount=D("150.00"), on=ON + timedelta(days=9), by=credit
    )
    assert entry.kind == "payment" and entry.account == account
    assert entry.description == "Assistance payment, MesaCAN (A New Leaf) ANL-2231"
    assert account_balance(account.pk) == D("160.00")
    made.refresh_from_db()
    assert made.status == "paid"
    assert Hold.objects.get(source_key=f"pledge:{made.pk}").released_on == ON + timedelta(days=9)
    with pytest.raises(ValidationError, match="paid already"):
        pledge_paid(pledge=made, payment_amount=D("150.00"), on=ON, by=credit)
    assert account_balance(account.pk) == D("160.00")


def test_pledges_expire_once_and_release_their_holds(account, credit):
    late = pledge(account, credit, expires_on=ON + timedelta(days=3))
    later = pledge(account, credit, agency="liheap", expires_on=ON + timedelta(days=20))
    assert pledges_expire(on=ON + timedelta(days=3)) == 0  # the last day still holds
    assert pledges_expire(on=ON + timedelta(days=4)) == 1
    assert pledges_expire(on=ON + timedelta(days=4)) == 0
    late.refresh_from_db(), later.refresh_from_db()
    assert late.status == "expired" and later.status == "pending"
    hold = Hold.objects.get(source_key=f"pledge:{late.pk}")
    assert hold.released_on == ON + timedelta(days=4)


# --- SEA and LISR --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "begins", "ends"),
    [
        (date(2026, 6, 15), date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 8, 10), date(2026, 8, 10), date(2026, 9, 30)),
        (date(2026, 10, 5), date(2027, 7, 1), date(2027, 9, 30)),
    ],
)
def test_sea_covers_its_summer_season(asked, begins, ends):
    assert enrolment_dates("SEA", asked) == (begins, ends)


def test_lisr_is_requalified_every_five_years():
    assert enrolment_dates("LISR", date(2026, 2, 1)) == (date(2026, 2, 1), date(2031, 1, 31))


def test_enrolment_with_its_dates_and_no_overlap(account):
    made = enrolment_start(
        account=account, program="SEA", starts_on=date(2026, 6, 20), verified_by="credit"
    )
    assert (made.starts_on, made.ends_on) == (date(2026, 7, 1), date(2026, 9, 30))
    with pytest.raises(ValidationError, match="enrolled in Summer Electric Assistance"):
        enrolment_start(
            account=account, program="SEA", starts_on=date(2026, 8, 1), verified_by="credit"
        )
    next_summer = enrolment_start(
        account=account, program="SEA", starts_on=date(2027, 5, 1), verified_by="credit"
    )
    assert next_summer.starts_on == date(2027, 7, 1)
    with pytest.raises(ValidationError, match="Only SEA and LISR are assistance programs"):
        enrolment_start(
            account=account, program="BUDGET", starts_on=date(2026, 1, 1), verified_by="credit"
        )
    with pytest.raises(ValidationError, match="who verified"):
        enrolment_start(account=account, program="LISR", starts_on=ON, verified_by=" ")


def test_an_enrolment_ends_early_but_never_later(account):
    made = enrolment_start(account=account, program="LISR", starts_on=ON, verified_by="credit")
    with pytest.raises(ValidationError, match="starts on 01/15/2026"):
        enrolment_end(enrolment=made, ends_on=ON - timedelta(days=1))
    with pytest.raises(ValidationError, match="ends on 01/14/2031 already"):
        enrolment_end(enrolment=made, ends_on=date(2032, 1, 1))
    enrolment_end(enrolment=made, ends_on=date(2026, 6, 30))
    assert ProgramEnrolment.objects.get(pk=made.pk).ends_on == date(2026, 6, 30)


# --- The pages -----------------------------------------------------------------------


def test_the_pledge_page_records_and_posts_the_agencys_payment(client_as, account):
    credit = client_as(Role.CREDIT)
    url = reverse("credit:pledge_new", args=[account.number])
    today = timezone.localdate()
    done = credit.post(
        url,
        {
            "agency": "lihwap",
            "amount": "300.00",
            "reference": "DES-77",
            "expires_on": (today + timedelta(days=45)).isoformat(),
        },
        follow=True,
    )
    assert "LIHWAP (water) pledge of $300.00 recorded" in done.content.decode()
    made = Pledge.objects.get(account=account)
    credit.post(reverse("credit:pledge_paid", args=[made.pk]), {"payment_amount": "300.00"})
    made.refresh_from_db()
    assert made.status == "paid" and account_balance(account.pk) == D("10.00")


def test_the_pledge_page_shows_mesacans_rule(client_as, account, credit):
    pledge(account, credit, on=timezone.localdate())
    refused = client_as(Role.CREDIT).post(
        reverse("credit:pledge_new", args=[account.number]),
        {
            "agency": "mesacan",
            "amount": "100.00",
            "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    assert refused.status_code == 400 and "may reapply after 90 days" in refused.content.decode()


def test_the_pledge_list_filters_and_exports(client_as, account, credit):
    pledge(account, credit, agency="liheap", expires_on=date(2026, 2, 1))
    page = client_as(Role.CREDIT)
    url = reverse("credit:pledges")
    assert account.number in page.get(url, {"agency": "liheap"}).content.decode()
    assert account.number not in page.get(url, {"agency": "mesacan"}).content.decode()
    assert account.number in page.get(url, {"status": "pending"}).content.decode()
    assert account.number not in page.get(url, {"status": "paid"}).content.decode()
    assert account.number in page.get(url, {"expiring_before": "2026-02-02"}).content.decode()
    assert account.number not in page.get(url, {"expiring_before": "2026-02-01"}).content.decode()
    export = page.get(url, {"_export": "xlsx"})
    assert export["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_the_programs_page_enrols_and_ends(client_as, account):
    credit = client_as(Role.CREDIT)
    url = reverse("credit:enrolments", args=[account.number])
    done = credit.post(
        url, {"program": "LISR", "starts_on": "2026-01-15", "verified_by": "credit"}, follow=True
    )
    assert "Enrolled in Limited Income Senior Rate from 01/15/2026 to 01/14/2031" in (
        done.content.decode()
    )
    made = ProgramEnrolment.objects.get(account=account)
    credit.post(reverse("credit:enrolment_end", args=[made.pk]), {"ends_on": "2026-12-31"})
    assert ProgramEnrolment.objects.get(pk=made.pk).ends_on == date(2026, 12, 31)

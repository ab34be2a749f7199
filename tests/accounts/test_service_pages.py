"""The start, stop and transfer pages, through Django's test client."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import Account, FieldActivity, Person
from accounts.selectors import account_balance, deposit_held
from accounts.services.field import field_activity_complete
from billing.rules.ratebook import shipped_ratebook
from billing.services.rates import ratebook_load
from tests.accounts.test_service_lifecycle import metered_home
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 20)


@pytest.fixture
def home():
    ratebook_load(shipped_ratebook())
    return metered_home("2255 E Brown Rd", "W55500101")


def services_post(**extra):
    data = {
        "starts_on": DAY.isoformat(),
        "customer_class": "residential",
        "deposit_installments": "1",
        "water_on": "on",
        "water_schedule": "W1.1",
        "solid_waste_on": "on",
        "solid_waste_schedule": "SW1.1",
        "solid_waste_containers": "1",
    }
    data.update(extra)
    return data


def test_a_clerk_starts_service_for_a_new_customer(client_as, home):
    client = client_as("Customer Service Clerk")
    response = client.post(
        reverse("accounts:start_customer"),
        {
            "first_name": "Ana",
            "last_name": "Reyes",
            "phone": "480-555-0101",
            "id_type": "dl",
            "id_last4": "4321",
            "preferred_language": "en",
        },
    )
    person = Person.objects.get(last_name="Reyes")
    assert person.phone == "4805550101" and person.id_last4 == "4321"
    assert response.status_code == 302 and f"person={person.pk}" in response["Location"]

    found = client.get(
        reverse("accounts:start_premise"), {"person": person.pk, "q": "2255 e brown"}
    )
    assert "2255 E Brown Rd" in found.content.decode() and "Water meter" in found.content.decode()

    url = f"{reverse('accounts:start_services')}?person={person.pk}&premise={home.pk}"
    review = client.post(url, services_post(review="1"))
    text = review.content.decode()
    assert review.status_code == 200 and "Start service" in text
    assert (
        "no 12-month payment history" in text
        and not Account.objects.filter(name__contains="Reyes").exists()
    )

    done = client.post(url, services_post(confirm="1"), follow=True)
    account = Account.objects.get(links__person=person)
    assert done.redirect_chain[-1][0] == reverse("accounts:detail", args=[account.number])
    assert f"Account {account.number} opened; fees $31.00. Deposit $50.00" in done.content.decode()
    assert account_balance(account.pk) == D("81.00")
    assert FieldActivity.objects.get(account=account).kind == "connect"


def test_the_services_step_names_what_is_wrong(client_as, home):
    client = client_as("Customer Service Clerk")
    person = PersonFactory()
    url = f"{reverse('accounts:start_services')}?person={person.pk}&premise={home.pk}"
    nothing = client.post(
        url,
        {
            "starts_on": DAY.isoformat(),
            "customer_class": "residential",
            "deposit_installments": "1",
            "review": "1",
        },
    )
    assert nothing.status_code == 400 and "Choose at least one service" in nothing.content.decode()
    commercial = client.post(
        url,
        services_post(
            customer_class="commercial",
            water_schedule="W3.1",
            solid_waste_schedule="SW3.1",
            solid_waste_service_code="4yd:2",
            review="1",
        ),
    )
    assert "Estimate the highest monthly bill" in commercial.content.decode()


def test_stop_and_transfer_pages(client_as, home):
    client = client_as("Customer Service Clerk")
    person = PersonFactory()
    url = f"{reverse('accounts:start_services')}?person={person.pk}&premise={home.pk}"
    client.post(url, services_post(confirm="1"))
    account = Account.objects.get(links__person=person)
    field_activity_complete(
        activity_id=FieldActivity.objects.get(account=account).pk,
        completed_by=None,
        completed_on=DAY,
        register=D("1000"),
    )

    early = client.post(
        reverse("accounts:stop", args=[account.number]),
        {"premise": home.pk, "stops_on": "2026-11-01"},
    )
    assert early.status_code == 400 and "is before" in early.content.decode()

    new_home = metered_home("3140 S Power Rd", "W55500102", zip_code="85212")
    pick = client.get(reverse("accounts:transfer", args=[account.number]), {"q": "3140 s power"})
    assert f"premise={new_home.pk}" in pick.content.decode()
    page = client.get(reverse("accounts:transfer", args=[account.number]), {"premise": new_home.pk})
    assert (
        'name="water_on" class="form-check-input" id="id_water_on" checked' in page.content.decode()
    )
    before = account_balance(account.pk)
    moved = client.post(
        f"{reverse('accounts:transfer', args=[account.number])}?premise={new_home.pk}",
        services_post(from_premise=home.pk, stops_on="2026-12-01", starts_on="2026-12-01"),
        follow=True,
    )
    assert "The balance and deposit stay on the account" in moved.content.decode()
    assert account_balance(account.pk) == before + D("20.00")
    assert deposit_held(account.pk) == D("0.00")  # billed, not yet paid

    stopped = client.post(
        reverse("accounts:stop", args=[account.number]),
        {
            "premise": new_home.pk,
            "stops_on": "2027-01-15",
            "mailing_line1": "9 Elm St",
            "mailing_city": "Tempe",
            "mailing_state": "AZ",
            "mailing_zip": "85281",
        },
        follow=True,
    )
    # The new water was never turned on: its order is cancelled, nothing to read.
    assert "The final bill is being prepared" in stopped.content.decode()
    person.refresh_from_db()
    assert (person.mailing_line1, person.mailing_zip) == ("9 Elm St", "85281")
    assert FieldActivity.objects.filter(account=account, kind="final_read").count() == 1
    connect = FieldActivity.objects.get(account=account, kind="connect", premise=new_home)
    assert connect.status == "cancelled"


def test_a_rate_for_another_class_is_refused(client_as, home):
    client = client_as("Customer Service Clerk")
    person = PersonFactory()
    url = f"{reverse('accounts:start_services')}?person={person.pk}&premise={home.pk}"
    wrong = client.post(url, services_post(water_schedule="W3.1", review="1"))
    assert wrong.status_code == 400
    assert "W3.1 is a commercial rate; this account is residential." in wrong.content.decode()


def test_the_start_page_reviews_and_makes_assistance_enrolments(client_as, home):
    client = client_as("Customer Service Clerk")
    person = PersonFactory()
    url = f"{reverse('accounts:start_services')}?person={person.pk}&premise={home.pk}"
    unverified = client.post(url, services_post(programs=["LISR"], review="1"))
    assert unverified.status_code == 400
    assert "Say who verified the customer" in unverified.content.decode()
    wrong = client.post(url, services_post(programs=["SEA"], program_verified_by="Ana", review="1"))
    assert "Summer Electric Assistance needs electric service started." in wrong.content.decode()
    data = services_post(programs=["LISR"], program_verified_by="Ana")
    review = client.post(url, {**data, "review": "1"}).content.decode()
    assert "Enrol in Limited Income Senior Rate: 11/20/2026 to" in review
    done = client.post(url, {**data, "confirm": "1"}, follow=True)
    account = Account.objects.get(links__person=person)
    enrolment = account.enrolments.get()
    assert enrolment.program == "LISR" and enrolment.verified_by == "Ana"
    assert "Enrolled in Limited Income Senior Rate 11/20/2026" in done.content.decode()


def _total_today(html: str) -> str:
    row = html[html.index("Total to collect today") :]
    return row[row.index('font-monospace">') + 16 : row.index("</td>")]


def test_the_start_review_shows_the_total_to_collect_today(client_as, home):
    client = client_as("Customer Service Clerk")
    person = PersonFactory()
    url = f"{reverse('accounts:start_services')}?person={person.pk}&premise={home.pk}"
    whole = client.post(url, services_post(review="1")).content.decode()
    # $31.00 of fees and the $50.00 deposit, all due now.
    assert _total_today(whole) == "$81.00"
    halves = client.post(url, services_post(review="1", deposit_installments="2"))
    text = halves.content.decode()
    assert "Deposit due now (installment 1 of 2)" in text and _total_today(text) == "$56.00"
    bond = client.post(
        url,
        services_post(review="1", bond_reference="Bond 7781", bond_expires_on="2027-11-20"),
    ).content.decode()
    assert "Deposit due now" not in bond and _total_today(bond) == "$31.00"


def test_a_service_open_on_another_account_links_to_that_account(client_as, home):
    """The services step says water is open on another account: the clerk can
    go straight there to stop or transfer it, instead of retyping the number."""
    from accounts.models import ServiceAgreement
    from tests.factories import AccountFactory

    other = AccountFactory()
    ServiceAgreement.objects.create(
        account=other, premise=home, utility="water", rate_schedule="W1.1", starts_on=DAY
    )
    person = PersonFactory()
    url = f"{reverse('accounts:start_services')}?person={person.pk}&premise={home.pk}"
    html = client_as("Customer Service Clerk").get(url).content.decode()
    assert f'href="{other.get_absolute_url()}"' in html

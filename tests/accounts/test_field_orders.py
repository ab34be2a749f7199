"""Field work a clerk orders from the account: re-reads, meter tests,
high-bill investigations; the crew completes them from the dispatch list."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import FieldActivity, MeterRead
from accounts.services.field import field_activity_complete, field_work_request
from tests.accounts.test_service_lifecycle import metered_home
from tests.factories import AccountFactory, agreement

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + timedelta(days=1)


@pytest.fixture
def customer():
    """Active water at a metered home, and trash service there too."""
    home = metered_home("2255 E Brown Rd", "W55500301")
    account = AccountFactory()
    water = agreement(
        account, premise_obj=home, service_point=home.service_points.get(), status="active"
    )
    trash = agreement(account, utility="solid_waste", schedule="SW1.1", premise_obj=home)
    return account, water, trash


def order(account, sa, kind="reread", **extra):
    return field_work_request(
        account=account, agreement=sa, kind=kind, scheduled_on=TOMORROW, **extra
    )


def test_a_reread_goes_on_the_crews_list_and_its_read_feeds_billing(customer, client_as):
    account, water, _ = customer
    reread = order(account, water, notes="Customer says the read is too high")
    assert reread.service_point == water.service_point and reread.status == "pending"
    crews = client_as("Customer Service Clerk").get(reverse("accounts:dispatch"), {"day": TOMORROW})
    assert account.number in crews.content.decode()
    # The crew gets there early, today: work is never dated after today.
    today = timezone.localdate()
    field_activity_complete(
        activity_id=reread.pk, completed_by=None, completed_on=today, register=D("1012")
    )
    read = MeterRead.objects.get(installation__service_point=water.service_point)
    assert read.register == D("1012") and read.read_on == today


@pytest.mark.parametrize(
    ("kind", "which", "when", "field", "message"),
    [
        ("connect", "water", 1, "kind", "ordered by its own flow"),
        ("meter_test", "trash", 1, "agreement", "No meter is installed for this solid waste"),
        ("reread", "water", -1, "scheduled_on", "cannot be scheduled in the past"),
    ],
)
def test_work_the_page_cannot_order_is_refused_with_the_reason(
    customer, kind, which, when, field, message
):
    account, water, trash = customer
    with pytest.raises(ValidationError) as refused:
        field_work_request(
            account=account,
            agreement={"water": water, "trash": trash}[which],
            kind=kind,
            scheduled_on=timezone.localdate() + timedelta(days=when),
        )
    assert message in str(refused.value.message_dict[field])
    assert not FieldActivity.objects.exists()


def test_the_same_work_pending_at_the_same_meter_is_refused(customer):
    account, water, trash = customer
    order(account, water, kind="meter_test")
    with pytest.raises(ValidationError, match="A meter test is already ordered here"):
        order(account, water, kind="meter_test")
    # Other work there, or work without a meter at the same address, is fine.
    order(account, water, kind="high_bill")
    order(account, trash, kind="door_hanger")
    assert FieldActivity.objects.count() == 3


def test_another_accounts_service_is_refused(customer):
    account, water, _ = customer
    with pytest.raises(ValidationError, match="open on this account"):
        order(AccountFactory(), water)


def test_a_clerk_orders_and_cancels_from_the_account_page(customer, client_as):
    account, water, _ = customer
    client = client_as("Customer Service Clerk")
    url = reverse("accounts:field_order", args=[account.number])
    form = client.get(url)
    key = form.context["form"].initial["key"]
    data = {
        "key": key,
        "kind": "high_bill",
        "agreement": water.pk,
        "scheduled_on": TOMORROW.isoformat(),
        "notes": "Bill doubled in October",
    }
    done = client.post(url, data, follow=True)
    assert (
        f"High-bill investigation, water, ordered for {TOMORROW:%m/%d/%Y}" in done.content.decode()
    )
    assert client.post(url, data).status_code == 302  # submitted twice: one order
    activity = FieldActivity.objects.get()
    assert activity.notes == "Bill doubled in October" and activity.kind == "high_bill"
    tab = client.get(reverse("accounts:tab", args=[account.number, "services"])).content.decode()
    assert "High-bill investigation" in tab and "Bill doubled in October" in tab

    refused = client.post(url, {**data, "key": "another", "kind": "high_bill"})
    assert refused.status_code == 400
    assert "already ordered here" in refused.content.decode()

    cancel = reverse("accounts:field_cancel", args=[activity.pk])
    client.post(cancel, {"reason": ""})
    assert FieldActivity.objects.get().status == "pending"
    client.post(cancel, {"reason": "Customer found a leak"})
    activity.refresh_from_db()
    assert activity.status == "cancelled" and "Customer found a leak" in activity.completion_notes


def test_read_only_roles_see_field_work_but_cannot_order_it(customer, client_as):
    account, water, _ = customer
    order(account, water)
    client = client_as("Alarm Unit Clerk")
    tab = client.get(reverse("accounts:tab", args=[account.number, "services"])).content.decode()
    assert "Re-read" in tab
    assert reverse("accounts:field_order", args=[account.number]) not in tab
    assert client.get(reverse("accounts:field_order", args=[account.number])).status_code == 403


def test_field_orders_name_the_utility_on_the_account_and_the_crew_sheet(customer, client_as):
    account, water, trash = customer
    order(account, water)
    order(account, trash, kind="high_bill")
    client = client_as("Customer Service Clerk")
    sheet = client.get(reverse("accounts:dispatch"), {"day": TOMORROW}).content.decode()
    assert '<th scope="col">Utility</th>' in sheet
    assert "<td>Water</td>" in sheet and "<td>Solid waste</td>" in sheet
    page = client.get(account.get_absolute_url(), {"tab": "services"}).content.decode()
    assert "<td>Water</td>" in page and "<td>Solid waste</td>" in page
    done = client.post(
        reverse("accounts:field_order", args=[account.number]),
        {"key": "k-utility", "kind": "meter_test", "agreement": water.pk, "scheduled_on": TOMORROW},
        follow=True,
    )
    assert "Meter test, water, ordered for" in done.content.decode()


def test_services_without_a_meter_are_not_offered_for_meter_work(customer, client_as):
    account, water, trash = customer
    client = client_as("Customer Service Clerk")
    url = reverse("accounts:field_order", args=[account.number])
    form = client.get(url).content.decode()
    # The trash service is marked, so the page withdraws it while meter work is chosen.
    trash_option = form[form.index(f'value="{trash.pk}"') :].split(">")[0]
    water_option = form[form.index(f'value="{water.pk}"') :].split(">")[0]
    assert "data-no-meter" in trash_option and "data-no-meter" not in water_option
    assert "(no meter)" in form
    refused = client.post(
        url,
        {"key": "k-meter", "kind": "reread", "agreement": trash.pk, "scheduled_on": TOMORROW},
    )
    assert refused.status_code == 400
    assert "The solid waste service has no meter" in refused.content.decode()
    assert not FieldActivity.objects.filter(kind="reread").exists()
    # Work that needs no meter may still go to the trash service.
    fine = client.post(
        url,
        {"key": "k-hb", "kind": "high_bill", "agreement": trash.pk, "scheduled_on": TOMORROW},
    )
    assert fine.status_code == 302


def test_the_crew_sheet_goes_down_the_street_by_house_number():
    from accounts.selectors.accounts import field_work_for
    from tests.factories import premise

    account = AccountFactory()
    for number in ("1425", "20", "305", "100"):
        home = premise(f"{number} E University Dr")
        FieldActivity.objects.create(
            kind=FieldActivity.Kind.REREAD,
            account=account,
            premise=home,
            scheduled_on=TOMORROW,
            area=home.service_area,
        )
    sheet = [activity.premise.house_number for activity in field_work_for(TOMORROW)]
    assert sheet == ["20", "100", "305", "1425"]

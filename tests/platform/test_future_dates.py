"""Nothing that must have happened may be dated after today (America/Phoenix):
work done, collections run, a petition, a court's order, money recovered. The
service refuses it naming the field, and so does each form, each command."""

from datetime import date, timedelta
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import FieldActivity
from accounts.services.field import field_activity_complete
from credit.models import Bankruptcy, CollectionRun
from credit.services.bankruptcy import bankruptcy_discharge, bankruptcy_record
from credit.services.collections import collections_run
from credit.services.write_offs import recovery_post
from mesa_cs.lib.dates import today
from mesa_cs.lib.roles import Role
from tests.accounts.test_field_activities import order, water  # noqa: F401 (fixture)
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def tomorrow() -> date:
    return today() + timedelta(days=1)


def test_today_is_phoenix_time(settings):
    from django.utils import timezone

    assert settings.TIME_ZONE == "America/Phoenix"
    assert today() == timezone.now().astimezone(timezone.get_current_timezone()).date()


def test_field_work_done_tomorrow_is_refused_by_the_service(water):  # noqa: F811
    activity = order(water, FieldActivity.Kind.CONNECT)
    with pytest.raises(ValidationError) as caught:
        field_activity_complete(
            activity_id=activity.pk,
            completed_by=UserFactory(),
            completed_on=tomorrow(),
            register=D("1012"),
        )
    assert "completed_on" in caught.value.message_dict
    assert "Done on cannot be after today" in caught.value.message_dict["completed_on"][0]
    assert FieldActivity.objects.get(pk=activity.pk).status == "pending"


def test_field_work_done_tomorrow_is_refused_on_the_page_beside_the_field(client_as, water):  # noqa: F811
    activity = order(water, FieldActivity.Kind.CONNECT)
    response = client_as(Role.CLERK).post(
        reverse("accounts:field_complete", args=[activity.pk]),
        {"completed_on": tomorrow().isoformat(), "register": "1012"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["completed_on"][0].startswith("Cannot be after today")
    assert FieldActivity.objects.get(pk=activity.pk).status == "pending"


def test_work_booked_for_a_later_day_offers_today_as_its_done_date(client_as, water):  # noqa: F811
    activity = order(water, FieldActivity.Kind.CONNECT)
    FieldActivity.objects.filter(pk=activity.pk).update(scheduled_on=tomorrow())
    page = client_as(Role.CLERK).get(reverse("accounts:field_complete", args=[activity.pk]))
    assert page.context["form"].initial["completed_on"] == today()


def test_collections_for_tomorrow_are_refused_by_service_command_and_page(client_as):
    with pytest.raises(ValidationError) as caught:
        collections_run(on=tomorrow())
    assert "Run collections for cannot be after today" in caught.value.message_dict["run_on"][0]
    with pytest.raises(CommandError, match="cannot be after today"):
        call_command("run_collections", "--date", tomorrow().isoformat(), stdout=StringIO())
    response = client_as(Role.CREDIT).post(
        reverse("credit:collections_start"), {"run_on": tomorrow().isoformat()}, follow=True
    )
    assert "Run collections for: Cannot be after today" in response.content.decode()
    assert not CollectionRun.objects.exists()


def test_a_petition_or_court_order_dated_tomorrow_is_refused():
    account, clerk = AccountFactory(), UserFactory(role=Role.CREDIT)
    with pytest.raises(ValidationError) as caught:
        bankruptcy_record(
            account=account,
            case_number="2:26-bk-7",
            chapter=7,
            court="D. Ariz.",
            petition_on=tomorrow(),
            recorded_by=clerk,
        )
    assert "Petition date cannot be after today" in caught.value.message_dict["petition_on"][0]
    case = bankruptcy_record(
        account=account,
        case_number="2:26-bk-7",
        chapter=7,
        court="D. Ariz.",
        petition_on=today() - timedelta(days=2),
        recorded_by=clerk,
    )
    with pytest.raises(ValidationError, match="Date of the court's order cannot be after today"):
        bankruptcy_discharge(bankruptcy=case, on=tomorrow(), by=clerk)
    assert Bankruptcy.objects.get(pk=case.pk).status == Bankruptcy.Status.OPEN


def test_money_recovered_tomorrow_is_refused():
    with pytest.raises(ValidationError) as caught:
        recovery_post(
            account=AccountFactory(),
            amount=D("5"),
            on=tomorrow(),
            by=UserFactory(),
            description="agency remittance",
        )
    assert "Received on cannot be after today" in caught.value.message_dict["on"][0]


@pytest.mark.parametrize(
    ("form_path", "field", "data"),
    [
        ("credit.forms.collections.RunForm", "run_on", {}),
        ("credit.forms.cases.CaseCloseForm", "on", {}),
        ("credit.forms.cases.RecoveryForm", "on", {"amount": "5", "description": "agency"}),
        ("accounts.forms.field.CompleteActivityForm", "completed_on", {}),
    ],
)
def test_each_form_refuses_tomorrow_beside_its_field(form_path, field, data):
    from importlib import import_module

    module, name = form_path.rsplit(".", 1)
    form_class = getattr(import_module(module), name)
    form = form_class({**data, field: tomorrow().isoformat()})
    assert not form.is_valid()
    assert form.errors[field][0].startswith("Cannot be after today")
    assert form_class({**data, field: today().isoformat()}).errors.get(field) is None


def test_the_court_order_page_says_why_a_date_tomorrow_is_refused(client_as):
    account = AccountFactory()
    case = bankruptcy_record(
        account=account,
        case_number="2:26-bk-8",
        chapter=7,
        court="D. Ariz.",
        petition_on=today() - timedelta(days=2),
        recorded_by=UserFactory(role=Role.CREDIT),
    )
    response = client_as(Role.CREDIT).post(
        reverse("credit:bankruptcy_close", args=[case.pk, "discharge"]),
        {"on": tomorrow().isoformat()},
        follow=True,
    )
    assert "Date of the court&#x27;s order: Cannot be after today" in response.content.decode()
    assert Bankruptcy.objects.get(pk=case.pk).status == Bankruptcy.Status.OPEN


def test_the_crew_sheet_lists_pending_work_before_work_done(water):  # noqa: F811
    from accounts.selectors.accounts import field_work_for

    done = order(water, FieldActivity.Kind.READ)
    field_activity_complete(
        activity_id=done.pk,
        completed_by=UserFactory(),
        completed_on=done.scheduled_on,
        register=D("1010"),
    )
    pending = order(water, FieldActivity.Kind.READ)
    assert [a.pk for a in field_work_for(done.scheduled_on)] == [pending.pk, done.pk]

"""Records that money, bills or collections rest on change only through the
services; Django admin shows them and refuses every change."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import JournalEntry, JournalLeg, MeterRead
from billing.models import Bill, BillLine, RateVersion
from billing.services.rates import version_is_billed
from cashiering.models import Payment
from credit.models import CollectionEvent
from tests.billing.conftest import BILL_ON, build_billable_city

FROZEN = [MeterRead, Bill, Payment, JournalEntry, JournalLeg, CollectionEvent]


@pytest.fixture
def admin_client_as(client, role_users):
    from mesa_cs.lib.roles import Role

    client.force_login(role_users[Role.ADMINISTRATOR])
    return client


def _url(model, action, obj=None):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}"
    return reverse(name, args=[obj.pk] if obj is not None else [])


def _billed_city():
    """Two accounts billed by a real run (bills priced by rate versions), a
    counter payment and a collection event."""
    from datetime import date
    from decimal import Decimal as D

    from accounts.models import Account
    from billing.services.runs import bill_run_start, bill_run_work
    from cashiering.models import TenderSource
    from cashiering.services.payments import TenderLine, payment_take
    from credit.models import LadderStep

    build_billable_city(2)
    bill_run_work(bill_run_start(cycle=None, bill_on=BILL_ON).pk)
    account = Account.objects.first()
    payment_take(
        source=TenderSource.objects.get(code="MAIN"),
        received_on=date(2026, 11, 2),
        tenders=[TenderLine("CHECK", D("30"), "1001")],
        allocations=[(account, D("30"))],
        idempotency_key="admin-ro",
    )
    CollectionEvent.objects.create(
        account=account,
        run_on=date(2026, 11, 20),
        step=LadderStep.objects.first(),
        past_due=D("10"),
    )


@pytest.mark.parametrize("model", FROZEN, ids=lambda m: m.__name__)
def test_admin_may_look_but_not_add_change_or_delete(db, admin_client_as, model):
    _billed_city()
    obj = model.objects.first()
    assert obj is not None
    assert model in admin.site._registry
    assert admin_client_as.get(_url(model, "change", obj)).status_code == 200
    assert admin_client_as.get(_url(model, "changelist")).status_code == 200
    assert admin_client_as.post(_url(model, "change", obj), {}).status_code == 403
    assert admin_client_as.post(_url(model, "delete", obj), {"post": "yes"}).status_code == 403
    assert admin_client_as.get(_url(model, "add")).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_a_rate_version_that_priced_an_issued_bill_is_frozen_in_admin(db, admin_client_as):
    _billed_city()
    billed = RateVersion.objects.get(
        pk=BillLine.objects.values("rate_version").first()["rate_version"]
    )
    response = admin_client_as.post(
        _url(RateVersion, "change", billed),
        {"schedule": billed.schedule_id, "effective": "2020-01-01"},
    )
    assert response.status_code == 403
    assert (
        admin_client_as.post(_url(RateVersion, "delete", billed), {"post": "yes"}).status_code
        == 403
    )
    # A version no issued bill reaches (in force after the last billed day)
    # stays editable.
    unbilled = RateVersion.objects.create(
        schedule=billed.schedule, effective=BILL_ON + timedelta(days=365)
    )
    assert not version_is_billed(unbilled)
    assert admin_client_as.get(_url(RateVersion, "change", unbilled)).context[
        "has_change_permission"
    ]


@pytest.mark.parametrize("model_path", ["accounts.FieldActivity", "credit.Hold"])
def test_work_and_holds_change_only_on_the_pages(rf, role_users, model_path):
    """Completing field work or ending a hold in admin would skip the checks
    that keep crews away from held accounts."""
    from django.apps import apps

    from mesa_cs.lib.roles import Role

    model_admin = admin.site._registry[apps.get_model(model_path)]
    request = rf.get("/admin/")
    request.user = role_users[Role.ADMINISTRATOR]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)

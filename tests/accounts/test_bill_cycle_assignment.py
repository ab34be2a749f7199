"""Every account with service sits in a bill cycle, so a bill run reaches it
(docs/accounts.md, "Bill cycle and read route")."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from accounts.models import Account, ServiceAgreement
from accounts.services.start import ServiceRequest, service_start
from billing.models import Bill
from billing.services.runs import bill_run_start, bill_run_work
from staffing.models import Section, WorkItem
from tests.billing.conftest import BILL_ON, build_billable_city
from tests.factories import AccountFactory, PersonFactory, UserFactory, agreement, premise

pytestmark = pytest.mark.django_db


def test_a_started_account_is_billed_by_the_next_run(db):
    build_billable_city(3)
    home = premise("2255 E Brown Rd", "85213")
    outcome = service_start(
        person=PersonFactory(),
        premise=home,
        starts_on=date(2026, 10, 1),
        services=[ServiceRequest("solid_waste", "SW1.1", containers=1)],
        ordered_by=UserFactory(),
    )
    account = outcome.account
    assert 1 <= account.bill_cycle <= 20
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    bill_run_work(run.pk)
    assert Bill.objects.filter(run=run, account=account).count() == 1


def test_a_premise_keeps_its_cycle_and_route_for_the_next_customer(db):
    home = premise("1425 E University Dr", "85203")
    neighbour = premise("1433 E University Dr", "85203")
    neighbour.service_area = "Central"
    neighbour.save()
    before = AccountFactory(bill_cycle=14, status="closed")
    agreement(before, "solid_waste", "SW1.1", premise_obj=home, status="closed")
    outcome = service_start(
        person=PersonFactory(),
        premise=home,
        starts_on=date(2026, 10, 1),
        services=[ServiceRequest("solid_waste", "SW1.1", containers=1)],
    )
    assert outcome.account.bill_cycle == 14
    home.refresh_from_db()
    assert home.service_area == "Central"  # the read route of its ZIP's premises


def test_a_new_premise_gets_a_stable_cycle(db):
    home = premise("900 N Country Club Dr", "85201")
    first = service_start(
        person=PersonFactory(),
        premise=home,
        starts_on=date(2026, 10, 1),
        services=[ServiceRequest("solid_waste", "SW1.1", containers=1)],
    )
    assert first.account.bill_cycle == home.pk % 20 + 1


def _served_without_cycle(house=1500):
    account = AccountFactory(bill_cycle=None)
    home = premise(f"{house} W Main St", "85201")
    agreement(account, "solid_waste", "SW1.1", premise_obj=home, status="active")
    return account


def test_the_daily_check_opens_one_work_item_per_account_without_a_cycle(db):
    from billing.services.cycles import accounts_without_cycle_check

    missing = [_served_without_cycle(house) for house in (1500, 1502)]
    AccountFactory(bill_cycle=None)  # no service: nothing to bill
    closed = AccountFactory(bill_cycle=None, status="closed")
    agreement(closed, "solid_waste", "SW1.1", premise_obj=premise(), status="closed")
    assert accounts_without_cycle_check() == 2
    assert accounts_without_cycle_check() == 2  # a second day finds the same two
    items = WorkItem.objects.filter(kind="account_without_cycle")
    assert sorted(items.values_list("account_id", flat=True)) == sorted(a.pk for a in missing)
    assert {i.section for i in items} == {Section.ACCOUNT_MAINTENANCE}


def test_the_daily_check_is_a_beat_task():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "billing.tasks.bill_cycles_check_daily" in tasks


def test_the_data_migration_assigns_a_cycle_to_served_accounts(db):
    migration = importlib.import_module("accounts.migrations.0016_bill_cycle_for_served_accounts")
    home = premise("2255 E Brown Rd", "85213")
    before = AccountFactory(bill_cycle=9, status="closed")
    agreement(before, "water", "W1.1", premise_obj=home, status="closed")
    account = AccountFactory(bill_cycle=None)
    agreement(account, "solid_waste", "SW1.1", premise_obj=home, status="active")
    alone = _served_without_cycle()
    idle = AccountFactory(bill_cycle=None)
    migration.assign_bill_cycles(apps, None)
    account.refresh_from_db()
    alone.refresh_from_db()
    idle.refresh_from_db()
    assert account.bill_cycle == 9  # the premise's cycle
    premise_pk = ServiceAgreement.objects.get(account=alone).premise_id
    assert alone.bill_cycle == premise_pk % 20 + 1
    assert idle.bill_cycle is None
    assert Account.objects.filter(bill_cycle__isnull=True, agreements__status="active").count() == 0

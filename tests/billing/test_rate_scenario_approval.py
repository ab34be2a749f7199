"""Applying a rate scenario (issue 15 item 4, docs/rate_modelling.md): asked
for on the scenario's page, approved by another Supervisor or an
Administrator in the approvals inbox, it puts the modelled prices in force
from its effective date, and the next bill is priced by them."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from billing.models import Bill, BillLine, RateScenario, RateVersion
from billing.rules.rate_model import Change
from billing.services.bills import bill_issue
from billing.services.rate_scenario_approval import (
    rate_scenario_approve,
    rate_scenario_decline,
    rate_scenario_request,
)
from billing.services.rates import ratebook_from_db
from mesa_cs.lib.roles import Role
from staffing.approvals import approval_kind
from staffing.models import WorkItem
from tests.billing.test_rate_models import _model, bill_three_barrel_accounts, month_ends
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ASKERS = {Role.BILLING, Role.EMS, Role.SUPERVISOR, Role.ADMINISTRATOR}


@pytest.fixture
def city(db):
    return bill_three_barrel_accounts()


def _after_last_bill():
    """The first day after the bills the fixture issued cover."""
    from mesa_cs.lib.dates import today

    return month_ends(today())[-1] + timedelta(days=1)


def _asked(role_users, **fields):
    scenario = _model(role_users[Role.EMS], effective=_after_last_bill(), **fields)
    return rate_scenario_request(
        scenario_id=scenario.pk, note="Council adopted 11/18", by=role_users[Role.EMS]
    )


def test_a_request_waits_in_the_inbox_and_as_a_solid_waste_work_item(city, role_users):
    scenario = _asked(role_users)
    assert scenario.status == RateScenario.Status.REQUESTED
    (pending,) = approval_kind("rate_scenario").pending()
    assert pending.pk == scenario.pk
    assert pending.concerns == "SW1.1"
    assert pending.amount == D("12.96")
    assert pending.why == "Council adopted 11/18"
    item = WorkItem.objects.get(kind="rate_scenario_approval")
    assert item.section == "solid_waste" and item.status == WorkItem.Status.OPEN
    with pytest.raises(ValidationError, match="already waiting"):
        rate_scenario_request(scenario_id=scenario.pk, note="", by=role_users[Role.EMS])


def test_approving_puts_the_modelled_prices_in_force_and_the_next_bill_uses_them(city, role_users):
    scenario = _asked(role_users)
    (version,) = rate_scenario_approve(scenario_id=scenario.pk, by=role_users[Role.SUPERVISOR])
    assert version.status == RateVersion.Status.IN_FORCE
    assert version.effective == scenario.effective
    assert (version.scenario, version.put_in_force_by) == (scenario, role_users[Role.SUPERVISOR])
    prices = [c.spec.get("amount") for c in version.components.all()]
    assert "31.98" in prices  # 30.90 × 1.035, published to the cent
    scenario.refresh_from_db()
    assert scenario.status == RateScenario.Status.APPLIED
    assert scenario.decided_by == role_users[Role.SUPERVISOR]
    assert WorkItem.objects.get(kind="rate_scenario_approval").status == WorkItem.Status.CLOSED
    assert approval_kind("rate_scenario").pending() == []

    # The next month's bill of the two-barrel account is priced by it.
    account = city[2]
    end = scenario.effective + timedelta(days=40)
    end = end.replace(day=1) - timedelta(days=1)
    bill = bill_issue(
        account=account, period_end=end, bill_on=end + timedelta(days=2), book=ratebook_from_db()
    )
    lines = BillLine.objects.filter(segment__bill=bill)
    assert {line.rate_version_id for line in lines} == {version.pk}
    assert bill.segments.get().total == D("63.96")  # 2 barrels × 31.98


def test_nobody_approves_their_own_request_and_only_supervisors_approve(city, role_users):
    supervisor = role_users[Role.SUPERVISOR]
    scenario = _model(supervisor, effective=_after_last_bill())
    rate_scenario_request(scenario_id=scenario.pk, note="", by=supervisor)
    with pytest.raises(ValidationError, match="own request"):
        rate_scenario_approve(scenario_id=scenario.pk, by=supervisor)
    for role in (Role.BILLING, Role.EMS, Role.CLERK):
        with pytest.raises(ValidationError, match="Supervisor or an Administrator"):
            rate_scenario_approve(scenario_id=scenario.pk, by=role_users[role])
    another = UserFactory(username="supervisor2", role=Role.SUPERVISOR)
    rate_scenario_approve(scenario_id=scenario.pk, by=another)
    assert RateVersion.objects.filter(scenario=scenario).count() == 1


def test_a_scenario_modelled_on_rates_changed_since_is_refused(city, role_users):
    first = _asked(role_users, name="Barrels +3.5 %")
    later = _model(
        role_users[Role.EMS], name="Barrels +5 %", effective=first.effective + timedelta(days=31)
    )
    rate_scenario_request(scenario_id=later.pk, note="", by=role_users[Role.EMS])
    rate_scenario_approve(scenario_id=first.pk, by=role_users[Role.SUPERVISOR])
    # The base in force on the later date is now the first scenario's version.
    with pytest.raises(ValidationError, match="changed since this scenario was modelled"):
        rate_scenario_approve(scenario_id=later.pk, by=role_users[Role.SUPERVISOR])
    assert RateVersion.objects.filter(scenario=later).count() == 0
    assert RateScenario.objects.get(pk=later.pk).status == RateScenario.Status.REQUESTED


def test_a_date_already_billed_is_refused_when_asked(city, role_users):
    scenario = _model(role_users[Role.EMS], effective=_after_last_bill() - timedelta(days=1))
    with pytest.raises(ValidationError, match="Issued bills on SW1.1 cover service through"):
        rate_scenario_request(scenario_id=scenario.pk, note="", by=role_users[Role.EMS])
    assert RateScenario.objects.get(pk=scenario.pk).status == RateScenario.Status.MODELLED
    assert not WorkItem.objects.filter(kind="rate_scenario_approval").exists()


def test_a_declined_scenario_keeps_the_reason_and_may_be_asked_again(city, role_users):
    scenario = _asked(role_users)
    with pytest.raises(ValidationError):
        rate_scenario_decline(scenario_id=scenario.pk, by=role_users[Role.SUPERVISOR], why=" ")
    rate_scenario_decline(
        scenario_id=scenario.pk, by=role_users[Role.SUPERVISOR], why="Wait for the FY28 budget"
    )
    scenario.refresh_from_db()
    assert scenario.status == RateScenario.Status.DECLINED
    assert scenario.decline_reason == "Wait for the FY28 budget"
    assert not RateVersion.objects.filter(scenario=scenario).exists()
    rate_scenario_request(scenario_id=scenario.pk, note="Budget passed", by=role_users[Role.EMS])
    assert WorkItem.objects.filter(
        kind="rate_scenario_approval", status=WorkItem.Status.OPEN
    ).exists()


def test_a_card_number_in_the_note_is_refused(city, role_users):
    scenario = _model(role_users[Role.EMS], effective=_after_last_bill())
    with pytest.raises(ValidationError, match="card number"):
        rate_scenario_request(
            scenario_id=scenario.pk, note="paid by 4111 1111 1111 1111", by=role_users[Role.EMS]
        )


def test_ems_may_not_ask_for_a_water_change(city, role_users):
    scenario = _model(
        role_users[Role.BILLING],
        changes=[Change(schedule="W1.1", percent=D("2"))],
        effective=_after_last_bill(),
    )
    with pytest.raises(ValidationError, match="You may not"):
        rate_scenario_request(scenario_id=scenario.pk, note="", by=role_users[Role.EMS])
    rate_scenario_request(scenario_id=scenario.pk, note="", by=role_users[Role.BILLING])
    item = WorkItem.objects.get(kind="rate_scenario_approval")
    assert item.section == "account_maintenance"


@pytest.mark.parametrize("role", list(Role))
def test_only_the_rate_book_roles_ask_for_approval(city, client, role_users, role):
    scenario = _model(role_users[Role.SUPERVISOR], effective=_after_last_bill())
    client.force_login(role_users[role])
    response = client.post(reverse("billing:rate_model_request", args=[scenario.pk]), {"note": ""})
    assert response.status_code == (302 if role in ASKERS else 403)
    waiting = RateScenario.objects.get(pk=scenario.pk).status == RateScenario.Status.REQUESTED
    assert waiting == (role in ASKERS)


def test_the_inbox_approves_and_the_scenario_page_shows_the_versions(city, client_as, role_users):
    scenario = _asked(role_users)
    client = client_as(Role.ADMINISTRATOR)
    inbox = client.get(reverse("staffing:approvals"))
    assert f"Rate scenario “{scenario.name}”" in inbox.content.decode()
    response = client.post(
        reverse("staffing:approval_decide", args=["rate_scenario", scenario.pk]),
        {"decision": "approve", "reason": "Council resolution 2026-114"},
    )
    assert response.status_code == 302
    page = client.get(reverse("billing:rate_model", args=[scenario.pk])).content.decode()
    assert "Approved and applied" in page
    version = RateVersion.objects.get(scenario=scenario)
    assert reverse("billing:rate_version", args=[version.pk]) in page
    assert "Ask for approval" not in page
    assert Bill.objects.count() == 9  # approving bills nothing by itself

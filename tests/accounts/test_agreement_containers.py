"""The two tiny accounts services solid-waste container work goes through."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.services.orders import agreement_containers_set, agreement_end
from tests.factories import AccountFactory, agreement

pytestmark = pytest.mark.django_db


def test_the_container_count_changes_on_an_open_solid_waste_service():
    sa = agreement(AccountFactory(), "solid_waste", "SW1.1", containers=1)
    agreement_containers_set(agreement_id=sa.pk, containers=2)
    sa.refresh_from_db()
    assert sa.containers == 2
    with pytest.raises(ValidationError, match="at least one container"):
        agreement_containers_set(agreement_id=sa.pk, containers=0)


def test_water_has_no_containers():
    sa = agreement(AccountFactory(), "water", "W1.1")
    with pytest.raises(ValidationError, match="not open solid-waste service"):
        agreement_containers_set(agreement_id=sa.pk, containers=2)


def test_one_service_ends_and_the_others_go_on():
    account = AccountFactory()
    barrel = agreement(account, "solid_waste", "SW1.1", containers=1)
    green = agreement(account, "solid_waste", "SW1.3", premise_obj=barrel.premise, containers=1)
    agreement_end(agreement_id=green.pk, ends_on=date(2026, 11, 15))
    green.refresh_from_db()
    barrel.refresh_from_db()
    assert (green.status, green.ends_on) == ("final", date(2026, 11, 15))
    assert barrel.status == "active"
    with pytest.raises(ValidationError, match="not open"):
        agreement_end(agreement_id=green.pk, ends_on=date(2026, 11, 20))
    with pytest.raises(ValidationError, match="before the service started"):
        agreement_end(agreement_id=barrel.pk, ends_on=date(2024, 12, 1))

"""accounts.services.orders.agreement_rate_schedule_set: an open service
moves to another rate schedule (special rate codes use it); a stopped one
does not."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.services.orders import agreement_rate_schedule_set
from tests.factories import AccountFactory, agreement

pytestmark = pytest.mark.django_db


def test_an_open_service_moves_to_another_schedule():
    sa = agreement(AccountFactory(), "solid_waste", "SW1.1", containers=1)
    agreement_rate_schedule_set(agreement_id=sa.pk, rate_schedule="SW-HOA1")
    sa.refresh_from_db()
    assert sa.rate_schedule == "SW-HOA1"


def test_a_stopped_service_keeps_its_schedule():
    sa = agreement(
        AccountFactory(), "solid_waste", "SW1.1", status="closed", ends_on=date(2026, 5, 1)
    )
    with pytest.raises(ValidationError, match="bills no more"):
        agreement_rate_schedule_set(agreement_id=sa.pk, rate_schedule="SW-HOA1")
    sa.refresh_from_db()
    assert sa.rate_schedule == "SW1.1"


def test_a_missing_service_is_refused():
    with pytest.raises(ValidationError, match="no longer exists"):
        agreement_rate_schedule_set(agreement_id=999999, rate_schedule="SW-HOA1")

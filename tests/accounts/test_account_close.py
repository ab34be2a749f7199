"""After the final bill: the account is marked final billed, its stopped
services closed and, once it owes nothing, the account closed, each refused
while service is still open and harmless to repeat."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Account, ServiceAgreement
from accounts.services.orders import account_close, account_finalize, agreements_close
from tests.factories import AccountFactory, agreement

pytestmark = pytest.mark.django_db
ON = date(2026, 6, 30)
Status = ServiceAgreement.Status


@pytest.fixture
def stopped():
    """Water and trash stopped (final bill due), and an old closed service."""
    account = AccountFactory()
    water = agreement(account, status=Status.FINAL, ends_on=date(2026, 6, 15))
    trash = agreement(
        account,
        utility="solid_waste",
        schedule="SW1.1",
        premise_obj=water.premise,
        status=Status.FINAL,
        ends_on=date(2026, 6, 15),
    )
    old = agreement(account, premise_obj=water.premise, status=Status.CLOSED, ends_on=ON)
    return account, [water, trash], old


def test_the_final_bill_moves_the_account_and_its_services_on(stopped):
    account, (water, trash), _ = stopped
    assert account_finalize(account=account).status == Account.Status.FINAL
    with pytest.raises(ValidationError, match="awaits its final bill"):
        account_close(account=account, on=ON)
    assert agreements_close(account=account) == 2
    assert set(
        ServiceAgreement.objects.filter(pk__in=[water.pk, trash.pk]).values_list(
            "status", flat=True
        )
    ) == {Status.CLOSED}
    closed = account_close(account=account, on=ON)
    assert (closed.status, closed.closed_on) == (Account.Status.CLOSED, ON)
    # Again: nothing changes, not even the day it closed.
    assert agreements_close(account=account) == 0
    assert account_finalize(account=account).status == Account.Status.CLOSED
    assert account_close(account=account, on=date(2026, 7, 31)).closed_on == ON


@pytest.mark.parametrize("open_status", ServiceAgreement.OPEN_STATUSES)
def test_nothing_moves_while_a_service_is_open(stopped, open_status):
    account, (water, _), _ = stopped
    agreement(
        account, utility="electric", schedule="E1.1", premise_obj=water.premise, status=open_status
    )
    with pytest.raises(ValidationError, match="still open"):
        account_finalize(account=account)
    with pytest.raises(ValidationError, match="still open"):
        account_close(account=account, on=ON)
    account.refresh_from_db()
    assert account.status == Account.Status.ACTIVE and account.closed_on is None


def test_closing_services_leaves_open_ones_alone(stopped):
    account, (water, _), _ = stopped
    electric = agreement(
        account, utility="electric", schedule="E1.1", premise_obj=water.premise, status="active"
    )
    assert agreements_close(account=account) == 2
    electric.refresh_from_db()
    assert electric.status == Status.ACTIVE

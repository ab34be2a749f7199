import csv
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from cashiering.models import TenderSource
from cashiering.selectors import reports
from cashiering.services.drawers import shift_close, shift_open
from cashiering.services.payments import TenderLine, payment_take
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(role_users):
    cashier = role_users[Role.CASHIER]
    shift = shift_open(
        source=TenderSource.objects.get(code="MAIN"), cashier=cashier, opening_float=D("100")
    )
    today = timezone.localdate()
    payment_take(
        source=shift.source,
        shift=shift,
        received_on=today,
        tenders=[TenderLine("CASH", D("40"))],
        allocations=[(AccountFactory(), D("40"))],
        idempotency_key="r1",
    )
    shift_close(
        shift_id=shift.pk,
        cashier=cashier,
        denominations={"100": 1, "20": 2},
        checks=[],
        reason="",
        signed_off_by=None,
    )
    return today


def test_payments_by_source_and_over_short_by_cashier(day):
    rows = reports.payments_by_source(day, day)
    assert rows == [
        {
            "day": day,
            "source": "Main counter drawer",
            "tender": "CASH",
            "status": "Posted",
            "payments": 1,
            "amount": D("40.00"),
        }
    ]
    assert reports.over_short_by_cashier(day, day)[0]["net"] == D("0.00")


def test_reports_export_csv(client_as, day):
    response = client_as(Role.SUPERVISOR).get(
        reverse("cashiering:report", args=["payments"]), {"_export": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Day", "Source", "Tender", "Status", "Payments", "Amount"]
    assert rows[1][-1] == "40.00"

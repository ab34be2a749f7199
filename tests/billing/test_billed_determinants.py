"""The billed determinants (docs/rate_modelling.md, "Speed"): the summary rate
modelling reads is, at every step, a GROUP BY of the issued bill segments:
after the demo's bulk load, a bill run and a correction; and a segment keeps
what it was priced on when its agreement changes later."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import connection

from accounts.models import ServiceAgreement
from billing.models import BILLED_DETERMINANT_KEY, Bill, BilledDeterminant
from billing.services.adjustments import bill_cancel_rebill
from billing.services.rates import ratebook_from_db
from billing.services.runs import bill_run_start, bill_run_work
from mesa_cs.lib.roles import Role
from tests.billing.conftest import BILL_ON
from tests.billing.test_rate_models import _model, bill_three_barrel_accounts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def grouped_segments() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT s.rate_schedule, s."end", s."end" - s.start, s.usage, s.quantity,
                      s.service_code, s.meter_size, s.acres, COUNT(*)
                 FROM billing_billsegment s JOIN billing_bill b ON b.id = s.bill_id
                WHERE b.status = 'issued'
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"""
        )
        return set(cursor.fetchall())


def summary() -> set[tuple]:
    return set(BilledDeterminant.objects.values_list(*BILLED_DETERMINANT_KEY, "segments"))


def test_the_summary_counts_the_demo_load_and_a_bill_run(billable_city):
    billable_city(12)
    loaded = summary()
    assert loaded and loaded == grouped_segments()
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    bill_run_work(run.pk)
    assert Bill.objects.filter(run=run).count() > 0
    after = summary()
    assert after == grouped_segments()
    assert sum(row[-1] for row in after) > sum(row[-1] for row in loaded)
    # The metered services keep their meter's size.
    assert any(row[0] == "W1.1" and row[6] for row in after)


def test_a_correction_takes_the_cancelled_bill_out_and_counts_the_new_one(billable_city):
    billable_city(3)
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    bill_run_work(run.pk)
    before = summary()
    bill = Bill.objects.filter(run=run).first()
    bill_cancel_rebill(
        bill_id=bill.pk, reason="read checked", by=UserFactory(), book=ratebook_from_db()
    )
    # Same reads, same determinants: counted once, not twice.
    assert summary() == grouped_segments() == before
    assert not BilledDeterminant.objects.filter(segments=0).exists()


def test_an_agreement_changed_after_billing_keeps_the_bills_determinants(role_users):
    accounts = bill_three_barrel_accounts()
    # The 2-barrel account adds a third barrel after its bills were issued.
    ServiceAgreement.objects.filter(account=accounts[2]).update(containers=3)
    (row,) = _model(role_users[Role.EMS]).result["rows"]
    # Still the 12 barrel-months billed at 30.90, not 15.
    assert D(row["current"]) == D("30.90") * 12
    assert row["bill_segments"] == 9
    assert (row["services"], row["containers"]) == (3, 5)


def test_a_bill_outside_the_year_is_not_modelled(role_users):
    bill_three_barrel_accounts()
    # Move the earliest month's segments a year back: the year keeps two months.
    earliest = BilledDeterminant.objects.order_by("end").first().end
    BilledDeterminant.objects.filter(end=earliest).update(end=earliest - timedelta(days=366))
    (row,) = _model(role_users[Role.EMS]).result["rows"]
    assert row["bill_segments"] == 6
    assert D(row["current"]) == D("30.90") * 8


def test_a_correction_after_the_agreement_changed_moves_only_the_corrected_bill():
    accounts = bill_three_barrel_accounts()
    ServiceAgreement.objects.filter(account=accounts[2]).update(containers=3)
    latest = Bill.objects.filter(account=accounts[2]).order_by("-period_end").first()
    bill_cancel_rebill(
        bill_id=latest.pk, reason="third barrel", by=UserFactory(), book=ratebook_from_db()
    )
    assert summary() == grouped_segments()
    by_quantity = {}
    for row in summary():
        if row[0] == "SW1.1":
            by_quantity[row[4]] = by_quantity.get(row[4], 0) + row[-1]
    # The two earlier bills of 2 barrels stand; the corrected one has 3.
    assert by_quantity == {1: 6, 2: 2, 3: 1}


def test_taking_away_what_was_never_counted_is_refused():
    accounts = bill_three_barrel_accounts()
    BilledDeterminant.objects.all().delete()
    bill = Bill.objects.filter(account=accounts[0]).first()
    with pytest.raises(RuntimeError, match="never counted"):
        bill_cancel_rebill(
            bill_id=bill.pk, reason="read checked", by=UserFactory(), book=ratebook_from_db()
        )

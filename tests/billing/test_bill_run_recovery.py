"""Bill runs count from their items, a live worker's heartbeat keeps its
claims, the watchdog finds runs whose workers died, and no run is dated
after today."""

import time
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from billing.models import BillRun, BillRunItem, CycleDate
from billing.services.runs import (
    BillRunError,
    _claim,
    _ClaimHeartbeat,
    bill_run_start,
    bill_run_work,
    bill_runs_watch,
    cycle_dates_ensure,
)
from mesa_cs.lib.roles import Role
from tests.billing.conftest import BILL_ON

pytestmark = pytest.mark.django_db


def _counts(run):
    run.refresh_from_db()
    return run.done, run.billed, run.exceptions


def _item_counts(run):
    items = BillRunItem.objects.filter(run=run)
    return (
        items.exclude(status__in=["pending", "claimed"]).count(),
        items.filter(status="billed").count(),
        items.filter(status="exception").count(),
    )


def test_a_run_s_counts_are_its_items_never_added_up(billable_city, settings):
    billable_city(30)
    settings.BILL_RUN_CHUNK = 5
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    bill_run_work(run.pk, max_chunks=2)
    assert _counts(run) == _item_counts(run) == (10, 10, 0)
    # Counters that drifted (a chunk added twice, as a recounted chunk did)
    # are set right by the next chunk, not added to.
    BillRun.objects.filter(pk=run.pk).update(done=run.total + 200, billed=run.total + 200)
    bill_run_work(run.pk, max_chunks=1)
    run.refresh_from_db()
    assert run.done <= run.total
    assert _counts(run) == _item_counts(run)
    bill_run_work(run.pk)
    run.refresh_from_db()
    assert run.status == BillRun.Status.COMPLETED
    assert _counts(run) == _item_counts(run) == (run.total, run.billed, run.exceptions)
    assert run.billed + run.exceptions == run.total


@pytest.mark.django_db(transaction=True)
def test_a_live_worker_s_heartbeat_keeps_its_claims_from_being_taken_over(billable_city, settings):
    billable_city(12)
    settings.BILL_RUN_HEARTBEAT = 0.1
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    mine = _claim(run.pk, 5, "alive")
    # As old as a dead worker's claim would be...
    stale = timezone.now() - timedelta(seconds=settings.BILL_RUN_CLAIM_TIMEOUT + 1)
    BillRunItem.objects.filter(run=run, status="claimed").update(claimed_at=stale)
    heartbeat = _ClaimHeartbeat(run.pk, "alive")
    heartbeat.start()
    try:
        deadline = time.monotonic() + 10
        while BillRunItem.objects.filter(run=run, claimed_at=stale).exists():
            assert time.monotonic() < deadline, "the heartbeat never refreshed the claims"
            time.sleep(0.05)
    finally:
        heartbeat.stop()
    # ...but its worker is alive: another worker takes only what is pending.
    theirs = _claim(run.pk, 100, "other")
    assert {item for item, _ in mine}.isdisjoint(item for item, _ in theirs)
    assert set(
        BillRunItem.objects.filter(run=run, claimed_by="alive").values_list("pk", flat=True)
    ) == {item for item, _ in mine}


def test_the_watchdog_sets_workers_only_on_runs_whose_workers_died(billable_city, settings):
    billable_city(20)
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    long_ago = timezone.now() - timedelta(seconds=settings.BILL_RUN_CLAIM_TIMEOUT + 5)
    BillRun.objects.filter(pk=run.pk).update(created_at=long_ago)
    # Queued, never picked up (its task died with the worker): nobody claims.
    assert bill_runs_watch() == [run.pk]
    # The worker it queued may still be waiting behind busy ones: no second.
    assert bill_runs_watch() == []
    BillRun.objects.filter(pk=run.pk).update(drain_queued_at=long_ago)
    # A live worker is billing: its claim is fresh.
    _claim(run.pk, 5, "alive")
    assert bill_runs_watch() == []
    # Its heartbeat stopped (killed mid-chunk): the claim goes stale.
    BillRunItem.objects.filter(run=run, status="claimed").update(claimed_at=long_ago)
    assert bill_runs_watch() == [run.pk]


def test_the_watchdog_finishes_a_run_whose_last_worker_died_before_finishing(
    billable_city, settings
):
    billable_city(10)
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    bill_run_work(run.pk)
    # As if the worker billed the last chunk and died before marking the run done.
    BillRun.objects.filter(pk=run.pk).update(
        status=BillRun.Status.RUNNING,
        done=0,
        billed=0,
        created_at=timezone.now() - timedelta(seconds=settings.BILL_RUN_CLAIM_TIMEOUT + 5),
    )
    assert bill_runs_watch() == []
    run.refresh_from_db()
    assert run.status == BillRun.Status.COMPLETED
    assert _counts(run) == _item_counts(run)


def _next_bill_date():
    """A cycle's scheduled bill date after today: a date a run would bill on."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        cycle_dates_ensure(year)
    due = CycleDate.objects.filter(bill_on__gt=today).order_by("bill_on").first()
    return due.cycle.number, due.bill_on


def test_a_bill_run_dated_after_today_is_refused(billable_city):
    billable_city(2)
    cycle, bill_on = _next_bill_date()
    with pytest.raises(BillRunError, match=f"Bill date {bill_on:%m/%d/%Y} is after today"):
        bill_run_start(cycle=cycle, bill_on=bill_on)
    assert not BillRun.objects.exists()


def test_the_run_form_refuses_a_bill_date_after_today_under_the_field(billable_city, client_as):
    billable_city(2)
    cycle, bill_on = _next_bill_date()
    response = client_as(Role.BILLING).post(
        reverse("billing:run_start"), {"cycle": str(cycle), "bill_on": bill_on.isoformat()}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["bill_on"] == [
        f"Bill date {bill_on:%m/%d/%Y} is after today ({timezone.localdate():%m/%d/%Y}): "
        "a run bills what has been read."
    ]
    assert not BillRun.objects.exists()


def test_run_billing_refuses_a_bill_date_after_today(billable_city):
    billable_city(2)
    cycle, bill_on = _next_bill_date()
    with pytest.raises(CommandError, match=f"Bill date {bill_on:%m/%d/%Y} is after today"):
        call_command("run_billing", "--cycle", str(cycle), "--bill-date", bill_on.isoformat())
    assert not BillRun.objects.exists()

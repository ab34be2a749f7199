"""A bill run on real Celery workers, one of which is killed mid-run."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from accounts.models import Account
from billing.models import Bill, BillRun
from billing.services.bills import bill_compute
from billing.services.rates import ratebook_from_db
from billing.services.runs import bill_run_start, period_end_for
from mesa_cs.celery import app as celery_app
from tests.conftest import test_database_url

from .conftest import BILL_ON, build_billable_city

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue():
    name = f"pytest-billing-{uuid.uuid4().hex[:8]}"
    original = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = name
    yield name
    celery_app.conf.task_default_queue = original


def _worker(queue):
    env = dict(
        os.environ,
        DATABASE_URL=test_database_url(),
        CELERY_TASK_DEFAULT_QUEUE=queue,
        BILL_RUN_CHUNK="3",
        BILL_RUN_WORKERS="1",
        BILL_RUN_CLAIM_TIMEOUT="2",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mesa_cs", "worker", "-Q", queue, "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{queue}-{uuid.uuid4().hex[:4]}@%h",
         "--loglevel=WARNING"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait(predicate, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_killing_a_worker_mid_run_still_bills_each_account_exactly_once(queue):
    build_billable_city(60)
    book = ratebook_from_db()
    expected = {}
    for account in Account.objects.filter(status="active"):
        expected[account.pk] = bill_compute(
            account, period_end_for(account.bill_cycle, BILL_ON), book
        ).total
    first = _worker(queue)
    try:
        run = bill_run_start(cycle=None, bill_on=BILL_ON)
        assert _wait(lambda: BillRun.objects.get(pk=run.pk).done >= 6), "the worker never started"
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = BillRun.objects.get(pk=run.pk).done
        assert killed_at < run.total, "the run finished before the worker could be killed"
    finally:
        if first.poll() is None:
            first.kill()
    second = _worker(queue)
    try:
        bill_run_start(cycle=None, bill_on=BILL_ON)  # resume: set workers on it again
        assert _wait(lambda: BillRun.objects.get(pk=run.pk).status == BillRun.Status.COMPLETED)
    finally:
        second.terminate()
        second.wait(timeout=20)
    run.refresh_from_db()
    assert run.billed + run.exceptions == run.total
    bills = list(Bill.objects.filter(run=run).values_list("account_id", "current_charges"))
    assert len(bills) == len({account for account, _ in bills}) == run.billed
    assert dict(bills) == {pk: expected[pk] for pk, _ in bills}
    assert set(expected) <= {pk for pk, _ in bills}

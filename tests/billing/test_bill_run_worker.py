"""A bill run on real Celery workers, one of which is killed mid-run."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import Account
from billing.models import Bill, BillRun, BillRunItem
from billing.services.bills import bill_compute
from billing.services.rates import ratebook_from_db
from billing.services.runs import bill_run_start, period_end_for
from mesa_cs.celery import app as celery_app
from tests.billing.conftest import BILL_ON, build_billable_city
from tests.conftest import test_database_url

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]
# Small chunks so that a kill lands inside a run of a few dozen accounts; the
# claim timeout, heartbeat and watchdog are the shipped defaults.
CHUNK = 10


@pytest.fixture
def queue():
    name = f"pytest-billing-{uuid.uuid4().hex[:8]}"
    original = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = name
    yield name
    celery_app.conf.task_default_queue = original


def _env(queue):
    return dict(
        os.environ,
        DATABASE_URL=test_database_url(),
        CELERY_TASK_DEFAULT_QUEUE=queue,
        BILL_RUN_CHUNK=str(CHUNK),
        BILL_RUN_WORKERS="1",
    )


def _worker(queue):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mesa_cs",
            "worker",
            "-Q",
            queue,
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{queue}-{uuid.uuid4().hex[:4]}@%h",
            "--loglevel=WARNING",
        ],
        cwd=BASE_DIR,
        env=_env(queue),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _beat(queue, folder):
    """The project's beat schedule, sending to the test's queue."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mesa_cs",
            "beat",
            "-s",
            str(folder / "schedule"),
            "--loglevel=WARNING",
        ],
        cwd=BASE_DIR,
        env=_env(queue),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait(predicate, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _expected_charges():
    book = ratebook_from_db()
    return {
        account.pk: bill_compute(account, period_end_for(account.bill_cycle, BILL_ON), book).total
        for account in Account.objects.filter(status="active")
    }


def _kill_mid_chunk(run, worker):
    """SIGKILL the worker while it holds a claimed chunk past the first ones."""
    assert _wait(
        lambda: (
            BillRunItem.objects.filter(run=run, status="billed").count() >= CHUNK
            and BillRunItem.objects.filter(run=run, status="claimed").exists()
        )
    ), "the worker never started"
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert BillRunItem.objects.filter(run=run, status="pending").exists(), (
        "the run finished before the worker could be killed"
    )


def _assert_each_account_billed_once(run, expected):
    run.refresh_from_db()
    items = {
        status: BillRunItem.objects.filter(run=run, status=status).count()
        for status in ("billed", "exception")
    }
    assert run.billed + run.exceptions == run.done == run.total == len(expected)
    assert (run.billed, run.exceptions) == (items["billed"], items["exception"])
    bills = list(Bill.objects.filter(run=run).values_list("account_id", "current_charges"))
    assert len(bills) == len({account for account, _ in bills}) == run.billed
    assert dict(bills) == {pk: expected[pk] for pk, _ in bills}
    assert set(expected) <= {pk for pk, _ in bills}


def test_a_run_whose_worker_was_killed_completes_on_its_own_within_a_minute(queue, tmp_path):
    build_billable_city(150)
    expected = _expected_charges()
    beat = _beat(queue, tmp_path)
    first = _worker(queue)
    second = None
    try:
        run = bill_run_start(cycle=None, bill_on=BILL_ON)
        _kill_mid_chunk(run, first)
        second = _worker(queue)  # nobody starts the run again: the watchdog does
        restarted = time.monotonic()
        assert _wait(
            lambda: BillRun.objects.get(pk=run.pk).status == BillRun.Status.COMPLETED, timeout=60
        ), "the run did not complete within a minute of the restart"
        elapsed = time.monotonic() - restarted
        print(f"completed {elapsed:.1f} s after the restart")
        assert elapsed < 60
    finally:
        for process in (first, second, beat):
            if process is not None:
                _stop(process)
    _assert_each_account_billed_once(run, expected)


def test_run_billing_again_sets_a_restarted_worker_on_the_dead_worker_s_claims(queue):
    build_billable_city(150)
    expected = _expected_charges()
    first = _worker(queue)
    second = None
    try:
        run = bill_run_start(cycle=None, bill_on=BILL_ON)
        _kill_mid_chunk(run, first)
        second = _worker(queue)
        restarted = time.monotonic()
        call_command("run_billing", "--cycle", "all", "--bill-date", BILL_ON.isoformat())
        assert _wait(
            lambda: BillRun.objects.get(pk=run.pk).status == BillRun.Status.COMPLETED, timeout=60
        ), "the run did not complete within a minute of the restart"
        elapsed = time.monotonic() - restarted
        print(f"completed {elapsed:.1f} s after the restart")
        assert elapsed < 60
    finally:
        for process in (first, second):
            if process is not None:
                _stop(process)
    _assert_each_account_billed_once(run, expected)

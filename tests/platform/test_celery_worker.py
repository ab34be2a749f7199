"""A real Celery worker process on the configured broker (Redis in CI)."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import transaction

from mesa_cs.models import WorkerHeartbeat
from mesa_cs.tasks import heartbeat_record
from tests.conftest import test_database_url

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_queue():
    """Start a worker that consumes a queue of its own, against the test database."""
    queue = f"pytest-{uuid.uuid4().hex[:10]}"
    env = dict(os.environ, DATABASE_URL=test_database_url())
    process = subprocess.Popen(
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
            f"{queue}@%h",
            "--loglevel=WARNING",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield queue
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    print(output)


def _wait_for(worker: str, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if WorkerHeartbeat.objects.filter(worker=worker).exists():
            return True
        time.sleep(0.25)
    return False


def test_a_real_worker_runs_a_queued_task(worker_queue):
    heartbeat_record.apply_async(kwargs={"worker": f"{worker_queue}-direct"}, queue=worker_queue)
    assert _wait_for(f"{worker_queue}-direct"), "the worker did not run the task"


def test_tasks_are_queued_only_when_their_transaction_commits(worker_queue):
    rolled_back, committed = f"{worker_queue}-rolled-back", f"{worker_queue}-committed"

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        heartbeat_record.apply_async_on_commit(kwargs={"worker": rolled_back}, queue=worker_queue)
        raise Rollback
    with transaction.atomic():
        heartbeat_record.apply_async_on_commit(kwargs={"worker": committed}, queue=worker_queue)
    assert _wait_for(committed)
    # The worker takes one message at a time in order: had the first been sent,
    # it would have run before the second.
    assert not WorkerHeartbeat.objects.filter(worker=rolled_back).exists()

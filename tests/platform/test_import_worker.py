"""Large imports run on a real Celery worker while their page shows progress."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import MeterRead
from accounts.selectors import account_balance
from billing.models import ReadImport
from cashiering.models import Payment, PaymentFile
from mesa_cs.celery import app as celery_app
from mesa_cs.lib.roles import Role
from tests.billing.conftest import START, meter  # noqa: F401  (the fixture)
from tests.conftest import test_database_url
from tests.factories import AccountFactory

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    """A worker on a queue of its own, against the test database; uploads
    above 1 kB go to it."""
    settings.IMPORT_INLINE_MAX_BYTES = 1024
    queue = f"pytest-imports-{uuid.uuid4().hex[:8]}"
    original = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    env = dict(
        os.environ,
        DATABASE_URL=test_database_url(),
        CELERY_TASK_DEFAULT_QUEUE=queue,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
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
    celery_app.conf.task_default_queue = original
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    print(output)


def _poll(client, url, done, timeout=120):
    """Fetch the progress partial as htmx would until it shows ``done``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        if done in page:
            return page
        assert "every 2s" in page, page  # still polling while the import runs
        time.sleep(0.5)
    raise AssertionError(f"the import did not finish: {page}")


def test_a_large_payment_file_is_imported_by_the_worker_and_its_page_shows_it_done(
    worker, client_as
):
    first, second = AccountFactory(), AccountFactory()
    payments = [
        f"P,BIG-{n},{(first, second)[n % 2].number},1.25,CASH,,Payer {n}" for n in range(2000)
    ]
    content = "\n".join(["H,LBX-BIG-1,2026-01-05,LOCKBOX", *payments, "T,2000,2500.00,0,0"])
    client = client_as(Role.SUPERVISOR)
    response = client.post(
        reverse("cashiering:payment_files"),
        {"file": SimpleUploadedFile("big.csv", content.encode())},
    )
    kept = PaymentFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cashiering:payment_file", args=[kept.pk])
    page = client.get(response["Location"]).content.decode()
    assert reverse("cashiering:payment_file_progress", args=[kept.pk]) in page
    done = _poll(client, reverse("cashiering:payment_file_progress", args=[kept.pk]), ": Accepted")
    assert "Posted 2000 ($2,500.00)" in done and "every 2s" not in done
    kept.refresh_from_db()
    assert kept.status == PaymentFile.Status.ACCEPTED and kept.percent == 100
    assert Payment.objects.count() == 2000
    assert account_balance(first.pk) == account_balance(second.pk) == -1250


def test_a_large_read_file_is_imported_by_the_worker_and_its_page_shows_it_done(
    worker,
    client_as,
    meter,  # noqa: F811
):
    lines = [
        f"W55500001,{(START + timedelta(days=181 + n)).isoformat()},{9060 + n // 3},handheld"
        for n in range(120)
    ]
    content = "meter_number,read_on,register,source\n" + "\n".join(lines) + "\n"
    client = client_as(Role.BILLING)
    response = client.post(
        reverse("billing:reads_import"), {"file": SimpleUploadedFile("r.csv", content.encode())}
    )
    kept = ReadImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("billing:read_import", args=[kept.pk])
    done = _poll(client, reverse("billing:read_import_progress", args=[kept.pk]), "Imported")
    assert "<td>120</td>" in done
    kept.refresh_from_db()
    assert kept.status == ReadImport.Status.IMPORTED and not kept.summary["errors"]
    assert kept.summary["accepted"] + kept.summary["held"] == 120
    assert MeterRead.objects.filter(installation=meter, source="handheld").count() == 120

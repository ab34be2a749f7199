import json
import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from tests.conftest import test_database_url

BASE_DIR = Path(__file__).resolve().parents[2]


def test_health_reports_database_and_broker(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"


def test_health_is_503_when_the_broker_is_unreachable(db):
    # A separate process, configured as a deployment whose Redis is down.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/health/', HTTP_HOST='127.0.0.1');"
        "print(r.status_code, json.loads(r.content)['broker'])"
    )
    env = dict(
        os.environ,
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
        DATABASE_URL=test_database_url(),
        DJANGO_SETTINGS_MODULE="mesa_cs.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    status, broker = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503", result.stdout + result.stderr
    assert broker.startswith("error")


def test_health_reports_worker_heartbeats(client, db):
    from mesa_cs.tasks import heartbeat_record

    heartbeat_record.run(worker="test-worker")
    body = json.loads(client.get(reverse("health")).content)
    assert [w["worker"] for w in body["workers"]] == ["test-worker"]

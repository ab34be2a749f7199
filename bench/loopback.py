"""Load through the real stack on loopback: gunicorn (3 workers, production
settings, collected static files) and locust headless against it, as the
counter and queue benchmarks use."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def locust_run(locustfile: str, *, users: int, seconds: int, env: dict) -> dict[str, dict]:
    """Serve the project with gunicorn on a free loopback port and run
    ``users`` locust users of ``locustfile`` for ``seconds``; the stats rows
    by request name."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(
        os.environ,
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=tempfile.mkdtemp(prefix="mesa-bench-static-"),
        **env,
    )
    # Production settings serve hashed static files, as a deployment would.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "mesa_cs.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "3", "--log-level", "warning"],
        cwd=BASE_DIR,
        env=env,
    )  # fmt: skip
    try:
        time.sleep(4)
        with tempfile.TemporaryDirectory() as out:
            subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(BASE_DIR / "bench" / locustfile),
                 "--headless", "-u", str(users), "-r", str(users), "-t", f"{seconds}s",
                 "--host", f"http://127.0.0.1:{port}", "--csv", f"{out}/stats",
                 "--only-summary"],
                cwd=BASE_DIR,
                env=env,
                check=False,
                capture_output=True,
            )  # fmt: skip
            with open(f"{out}/stats_stats.csv") as handle:
                return {row["Name"]: row for row in csv.DictReader(handle)}
    finally:
        server.terminate()
        server.wait(timeout=30)

"""Each benchmark's own database, beside the one in DATABASE_URL, migrated
before Django starts, so every benchmark runs on a machine with nothing but
an empty PostgreSQL server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

BASE_DIR = Path(__file__).resolve().parent.parent


def bench_database(suffix: str, *, recreate: bool) -> str:
    """Point DATABASE_URL at ``<name>_<suffix>``: created when missing (dropped
    first when ``recreate``), then migrated. Returns the new URL."""
    import psycopg

    url = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mesa_cs"))
    name = f"{url.path.lstrip('/')}_{suffix}"
    with psycopg.connect(urlunparse(url._replace(path="/postgres")), autocommit=True) as conn:
        if recreate:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    target = urlunparse(url._replace(path=f"/{name}"))
    os.environ["DATABASE_URL"] = target
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesa_cs.settings")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, check=True)
    return target

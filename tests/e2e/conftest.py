import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
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
    assert_no_axe_violations(page)


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


# --- axe-core on every page the browser tests open (issue 13 item 9) ---------
#
# axe-core is vendored from npm (static/vendor/axe-core/, version in its
# README). It is added to every document of the test's browser context as an
# init script, which Chromium runs outside the page's Content Security Policy,
# so the product's CSP stays as strict in the tests as in production.
#
# Each document is checked when it has loaded and again after each htmx swap
# settles, whenever the test calls assert_page_is_accessible, and as the test
# leaves it at the end. A page the test left before its check finished is
# opened again at the end and checked then. A serious or critical violation
# fails the test, naming the rule, the page and the element.

AXE_JS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")

AXE_RUNNER_JS = r"""
(() => {
  if (window.top !== window || !window.axe || !location.protocol.startsWith("http")) return;
  let chain = Promise.resolve();
  let timer = null;
  const summarise = (violations) => violations
    .filter((v) => FAILING_IMPACTS.includes(v.impact))
    .map((v) => ({
      rule: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ") + "  " + n.html.slice(0, 160)
        + ((n.failureSummary || "").match(/contrast of [^)]*\)/) || [""])[0]),
    }));
  // Beyond axe: an element htmx makes clickable must be one the keyboard can
  // reach and press, so every flow works without a mouse.
  const KEYBOARD_OK = "a[href], button, input, select, textarea, form, [tabindex]:not([tabindex='-1'])";
  const clickOnly = () => Array.from(
    document.querySelectorAll("[hx-get], [hx-post], [hx-put], [hx-patch], [hx-delete]"))
    .filter((el) => {
      const trigger = (el.getAttribute("hx-trigger") || "click").split(/[ ,]/)[0];
      return trigger === "click" && !el.matches(KEYBOARD_OK);
    })
    .map((el) => el.outerHTML.slice(0, 160));
  const keyboard = () => {
    const nodes = clickOnly();
    return nodes.length ? [{rule: "keyboard-htmx", impact: "serious", nodes,
      help: "An element htmx makes clickable must be a link, a button or focusable"}] : [];
  };
  // A page mid-request (htmx dims it) or mid-transition (a button fading to
  // its hover colour) is not what anyone reads: wait until it settles.
  const settled = async () => {
    for (let i = 0; i < 50; i++) {
      const busy = document.querySelector(".htmx-request")
        || document.getAnimations().some((a) => a.playState === "running");
      if (!busy) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const run = () => Promise.race([
    settled().then(() => axe.run(document, {resultTypes: ["violations"]})),
    new Promise((_, reject) => setTimeout(() => reject(new Error("axe timed out")), 15000)),
  ]);
  window.__mesaAxeCheck = (why) => {
    if (document.contentType !== "text/html" || !document.body) return Promise.resolve();
    chain = chain
      .then(run)
      .then((result) => window.__mesaAxeReport(
        location.href, why, summarise(result.violations).concat(keyboard()), null))
      .catch((error) => window.__mesaAxeReport(location.href, why, [], String(error)));
    return chain;
  };
  window.addEventListener("load", () => window.__mesaAxeCheck("on load"));
  document.addEventListener("htmx:afterSettle", () => {
    clearTimeout(timer);
    timer = setTimeout(() => window.__mesaAxeCheck("after an htmx swap"), 150);
  });
})();
""".replace("FAILING_IMPACTS", json.dumps(FAILING_IMPACTS))


def _path(url):
    return urlsplit(url)._replace(scheme="", netloc="", fragment="").geturl()


class AxeLog:
    """What axe-core found in one browser context."""

    def __init__(self):
        self.violations = {}  # (path, rule, element) -> message
        self.reported = 0
        self.checked = set()  # paths checked at least once
        self.opened = {}  # path -> full URL of each HTML page opened with GET

    def report(self, source, url, why, violations, error):
        path = _path(url)
        self.checked.add(path)
        if error:
            self.violations[(path, "axe", error)] = f"axe could not check {path} ({why}): {error}"
        for v in violations:
            for node in v["nodes"]:
                self.violations.setdefault(
                    (path, v["rule"], node),
                    f"{v['impact']} {v['rule']} on {path} ({why}): {v['help']}\n    at {node}",
                )

    def opened_page(self, response):
        request = response.request
        if (
            request.is_navigation_request()
            and request.frame.parent_frame is None
            and request.method == "GET"
            and not 300 <= response.status < 400
            and "text/html" in response.headers.get("content-type", "")
        ):
            self.opened[_path(response.url)] = response.url

    def unchecked(self):
        return [url for path, url in self.opened.items() if path not in self.checked]

    def new_messages(self):
        messages = list(self.violations.values())[self.reported :]
        self.reported = len(self.violations)
        return messages


def _axe_check(page, why):
    """Check the page as it is now and wait for the report."""
    page.wait_for_load_state()
    try:
        page.evaluate("(why) => window.__mesaAxeCheck ? window.__mesaAxeCheck(why) : null", why)
    except PlaywrightError as error:
        # Only if the page went away meanwhile (its next page is checked in turn).
        if "Execution context was destroyed" not in str(error):
            raise


@pytest.fixture(autouse=True)
def axe(request):
    """Runs axe-core on every page of the test's browser context; fails the test
    on serious or critical violations."""
    if "page" not in request.fixturenames and "context" not in request.fixturenames:
        yield None
        return
    context = request.getfixturevalue("context")
    log = AxeLog()
    context._mesa_axe = log
    context.add_init_script(script=AXE_JS.read_text() + "\n" + AXE_RUNNER_JS)
    context.expose_binding("__mesaAxeReport", log.report)
    context.on("page", lambda page: page.on("response", log.opened_page))
    for page in context.pages:
        page.on("response", log.opened_page)
    yield log
    pages = [page for page in context.pages if not page.is_closed()]
    for page in pages:
        _axe_check(page, "at the end of the test")
    if pages:
        for url in log.unchecked():
            pages[0].goto(url)
            _axe_check(pages[0], "opened again: the test left it before its check")
    messages = log.new_messages()
    if messages:
        pytest.fail("axe-core found serious or critical violations:\n" + "\n".join(messages))


def assert_no_axe_violations(page):
    log = getattr(page.context, "_mesa_axe", None)
    if log is None:
        return
    _axe_check(page, "when the test asked")
    messages = log.new_messages()
    assert not messages, "axe-core found serious or critical violations:\n" + "\n".join(messages)

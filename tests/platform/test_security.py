import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]


def _production_env():
    env = dict(os.environ)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest
    env.update(
        DEBUG="0",
        SECRET_KEY="a-real-secret-key-for-the-deploy-check-9f8e7d6c5b4a3210fedcba98",
        ALLOWED_HOSTS="cs.mesaaz.gov",
        CSRF_TRUSTED_ORIGINS="https://cs.mesaaz.gov",
    )
    return env


def test_production_settings_pass_check_deploy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    env["SECRET_KEY"] = ""
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_hold_no_inline_script():
    for template in (BASE_DIR / "templates").rglob("*.html"):
        html = template.read_text()
        assert "<script>" not in html and "onclick=" not in html, template


def test_no_asset_comes_from_a_cdn():
    for template in (BASE_DIR / "templates").rglob("*.html"):
        html = template.read_text()
        assert "https://" not in html and "//cdn" not in html, template


def test_not_found_is_the_friendly_page(client, db):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create(username="someone"))
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Nothing here" in response.content.decode()


def test_server_error_page_renders_without_a_request_context():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html
    assert "nothing was half-saved" in html


def test_signed_in_pages_and_exports_are_never_stored(client_as):
    from mesa_cs.lib.roles import Role

    client = client_as(Role.CLERK)
    for url in (reverse("home"), reverse("accounts:index")):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url

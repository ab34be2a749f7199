from django.urls import reverse

from mesa_cs.lib.roles import Role


def _attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_form_has_labelled_username_and_password(client, db):
    html = client.get(reverse("login")).content.decode()
    assert '<label for="id_username" class="form-label">Username</label>' in html
    assert '<label for="id_password" class="form-label">Password</label>' in html


def test_demo_role_signs_in_and_lands_on_home(client, role_users):
    response = _attempt(client, "cashier", "mesa-demo")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "Cashier" in client.get(reverse("home")).content.decode()


def test_ten_failures_lock_the_login_for_thirty_minutes(client, role_users, settings):
    for _ in range(9):
        assert _attempt(client, "clerk", "wrong").status_code == 200
    locked = _attempt(client, "clerk", "wrong")
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    # Even the right password is refused while locked.
    assert _attempt(client, "clerk", "mesa-demo").status_code == 429
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60


def test_lockout_ends_after_the_cooloff(client, role_users):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(10):
        _attempt(client, "clerk", "wrong")
    assert _attempt(client, "clerk", "mesa-demo").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert _attempt(client, "clerk", "mesa-demo").status_code == 302


def test_nine_failures_then_success_resets_the_count(client, role_users):
    for _ in range(9):
        _attempt(client, "billing", "wrong")
    assert _attempt(client, "billing", "mesa-demo").status_code == 302
    client.logout()
    for _ in range(9):
        _attempt(client, "billing", "wrong")
    assert _attempt(client, "billing", "mesa-demo").status_code == 302


def test_idle_sessions_expire_after_the_setting(client, role_users, settings):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 == 15 * 60
    client.force_login(role_users[Role.CLERK])
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get()
    # Each request renews the session for the idle time...
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=14) < remaining <= timedelta(minutes=15)
    # ...so 16 quiet minutes end it.
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_is_a_post_and_ends_the_session(client, role_users):
    client.force_login(role_users[Role.CLERK])
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from pghistory.models import MiddlewareEvents

from mesa_cs.celery import app as celery_app
from mesa_cs.lib.formatting import day_text, moment_text, staff_name
from mesa_cs.models import WorkerHeartbeat


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not healthy", reported, not raised
        return f"error: {exc.__class__.__name__}"
    return "ok"


def broker_status() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # as above
        return f"error: {exc.__class__.__name__}"
    return "ok"


def worker_heartbeats() -> list[dict]:
    if database_status() != "ok":
        return []
    now = timezone.now()
    return [
        {"worker": beat.worker, "seconds_ago": int((now - beat.seen_at).total_seconds())}
        for beat in WorkerHeartbeat.objects.order_by("-seen_at")[:20]
    ]


def audit_events_for(model, pk) -> list[MiddlewareEvents]:
    """Every recorded change of one object, oldest first, with who and where."""
    instance = model(pk=model._meta.pk.to_python(pk))
    events = list(MiddlewareEvents.objects.tracks(instance).order_by("pgh_created_at", "pgh_id"))
    User = get_user_model()
    user_fields = {
        f.attname for f in model._meta.concrete_fields if f.is_relation and f.related_model is User
    }
    user_ids = {(e.pgh_context or {}).get("user") for e in events}
    for event in events:
        for name in user_fields & set(event.pgh_diff or {}):
            user_ids.update(event.pgh_diff[name])
    users = User.objects.in_bulk(user_ids - {None})
    for event in events:
        context = event.pgh_context or {}
        event.who = staff_name(users.get(context.get("user"))) or context.get("username", "")
        event.action = AUDIT_ACTIONS.get(event.pgh_label, event.pgh_label.capitalize())
        event.changes = [
            (
                _audit_field(model, field),
                _audit_value(model, field, old, users),
                _audit_value(model, field, new, users),
            )
            for field, (old, new) in (event.pgh_diff or {}).items()
        ]
    return events


AUDIT_ACTIONS = {"insert": "Created", "update": "Changed", "delete": "Deleted"}


def _audit_field(model, name) -> str:
    """A recorded field by its label ("Assignee"), not its column ("assignee_id")."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = next((f for f in model._meta.concrete_fields if f.attname == name), None)
    return capfirst(field.verbose_name) if field is not None else name


def _audit_value(model, name, value, users):
    """A recorded value written the one way: its choice label, a member of
    staff by name, a Phoenix day or moment (the trail stores them as UTC ISO
    text); nothing as nothing."""
    if value is None or value == "":
        return ""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    if field.is_relation and value in users:
        return staff_name(users[value])
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        parsed = parse_datetime(value)
        return moment_text(parsed) if parsed else value
    if isinstance(field, models.DateField) and isinstance(value, str):
        parsed = parse_date(value)
        return day_text(parsed) if parsed else value
    return value

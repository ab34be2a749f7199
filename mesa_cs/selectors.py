from __future__ import annotations

from django.db import connection
from django.utils import timezone
from pghistory.models import MiddlewareEvents

from mesa_cs.celery import app as celery_app
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
    events = MiddlewareEvents.objects.tracks(instance).order_by("pgh_created_at", "pgh_id")
    return list(events)

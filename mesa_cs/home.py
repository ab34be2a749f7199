"""The platform's own tiles on the home page: Django admin and the health of
the database and the Celery broker, for administrators."""

from __future__ import annotations

from django.urls import reverse

from mesa_cs.lib.home import Figure, Part, Tile, register_tile
from mesa_cs.lib.roles import Role
from mesa_cs.selectors import broker_status, database_status

ADMIN = frozenset({Role.ADMINISTRATOR})


def django_admin(request) -> Figure:
    return Figure("Open", reverse("admin:index"), note="users, roles and configuration")


def health(request) -> Figure:
    checks = {"Database": database_status(), "Redis (Celery broker)": broker_status()}
    healthy = all(status == "ok" for status in checks.values())
    url = reverse("health")
    return Figure(
        "Healthy" if healthy else "Unavailable",
        url,
        parts=tuple(
            Part(name, "reachable" if status == "ok" else status, url)
            for name, status in checks.items()
        ),
        tone="" if healthy else "danger",
    )


def register() -> None:
    register_tile(Tile("django-admin", "Django admin", ADMIN, django_admin, 1))
    register_tile(Tile("health", "System health", ADMIN, health, 10))

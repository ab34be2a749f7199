"""Roles, areas and the one way a view states who may use it.

A role is a Django group. An area is a part of the product (a section app,
or a slice of one). AREA_ROLES is the role x area matrix; docs/roles.md
shows it and a test keeps the two equal. Every view is wrapped by
``allow(area)`` (functions) or inherits ``AllowMixin`` (classes); a view may
narrow its area's roles with ``roles=`` but never widen them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured, PermissionDenied


class Role(StrEnum):
    CLERK = "Customer Service Clerk"
    CASHIER = "Cashier"
    BILLING = "Billing Specialist"
    CREDIT = "Credit Representative"
    ALARMS = "Alarm Unit Clerk"
    EMS = "EMS Clerk"
    SUPERVISOR = "Supervisor"
    ADMINISTRATOR = "Administrator"


class Area(StrEnum):
    HOME = "Home"
    ACCOUNTS = "Accounts"
    BILLING = "Billing"
    CASHIERING = "Cashiering"
    CREDIT = "Credit Services"
    ALARMS = "Alarm Permits"
    SOLIDWASTE = "Solid Waste"
    WORK_QUEUES = "Work queues"
    STAFFING = "Staffing and supervision"
    AUDIT = "Audit trail"


ALL_ROLES = frozenset(Role)
_LEADS = {Role.SUPERVISOR, Role.ADMINISTRATOR}

AREA_ROLES: dict[Area, frozenset[Role]] = {
    Area.HOME: ALL_ROLES,
    Area.ACCOUNTS: ALL_ROLES,
    Area.BILLING: frozenset({Role.CLERK, Role.BILLING, *_LEADS}),
    Area.CASHIERING: frozenset({Role.CASHIER, *_LEADS}),
    Area.CREDIT: frozenset({Role.CREDIT, *_LEADS}),
    Area.ALARMS: frozenset({Role.ALARMS, *_LEADS}),
    Area.SOLIDWASTE: frozenset({Role.EMS, Role.CLERK, *_LEADS}),
    Area.WORK_QUEUES: ALL_ROLES,
    Area.STAFFING: frozenset(_LEADS),
    Area.AUDIT: frozenset(_LEADS),
}


@dataclass(frozen=True)
class Access:
    area: Area
    roles: frozenset[Role]


def user_roles(user) -> frozenset[Role]:
    """The roles of a signed-in user, cached on the user object per request."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_mesa_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        user._mesa_roles = cached
    return cached


def user_can(user, area: Area) -> bool:
    return bool(user_roles(user) & AREA_ROLES[area])


def _resolve_access(area: Area, roles) -> Access:
    allowed = AREA_ROLES[area] if roles is None else frozenset(roles)
    if not allowed or not allowed <= AREA_ROLES[area]:
        raise ImproperlyConfigured(
            f"roles {sorted(allowed)} are not a non-empty subset of the {area} area"
        )
    return Access(area=area, roles=allowed)


def check_access(request, access: Access):
    """None when the request may proceed, else the response that stops it."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not user_roles(request.user) & access.roles:
        raise PermissionDenied(f"{access.area} is not open to your role.")
    return None


def allow(area: Area, *, roles=None):
    """Decorator for function views: admit the area's roles (or a subset)."""
    access = _resolve_access(area, roles)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            refused = check_access(request, access)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        wrapped.access = access
        return wrapped

    return decorator


class AllowMixin:
    """For class-based views: set ``area`` (and optionally ``roles``)."""

    area: Area | None = None
    roles = None

    @classmethod
    def as_view(cls, **initkwargs):
        if cls.area is None:
            raise ImproperlyConfigured(f"{cls.__name__} must set `area`")
        view = super().as_view(**initkwargs)
        view.access = _resolve_access(cls.area, cls.roles)
        return view

    def dispatch(self, request, *args, **kwargs):
        refused = check_access(request, self.__class__.as_view_access())
        if refused is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def as_view_access(cls) -> Access:
        return _resolve_access(cls.area, cls.roles)


# Model permissions per role, by app: what Django admin and model-level checks
# grant. Page access is AREA_ROLES above; these matter for /admin/ and reports.
_SECTION_APPS = ("accounts", "billing", "cashiering", "credit", "alarms", "solidwaste", "staffing")
_READ = ("view",)
_WORK = ("view", "add", "change")
ROLE_PERMISSIONS: dict[Role, dict[str, tuple[str, ...]]] = {
    Role.CLERK: {"accounts": _WORK, "billing": _READ, "solidwaste": _READ, "staffing": _WORK},
    Role.CASHIER: {"accounts": _READ, "cashiering": _WORK, "staffing": _WORK},
    Role.BILLING: {"accounts": _WORK, "billing": _WORK, "staffing": _WORK},
    Role.CREDIT: {"accounts": _WORK, "credit": _WORK, "staffing": _WORK},
    Role.ALARMS: {"accounts": _READ, "alarms": _WORK, "staffing": _WORK},
    Role.EMS: {"accounts": _READ, "solidwaste": _WORK, "staffing": _WORK},
    Role.SUPERVISOR: dict.fromkeys(_SECTION_APPS, _WORK),
    Role.ADMINISTRATOR: {},  # every permission; see sync_role_permissions
}


def sync_role_permissions(group_model, permission_model) -> None:
    """Create the role groups and give each exactly its permissions.

    Takes the models as arguments so a data migration can pass historical ones.
    """
    for role in Role:
        group, _ = group_model.objects.get_or_create(name=role.value)
        if role is Role.ADMINISTRATOR:
            permissions = permission_model.objects.all()
        else:
            permissions = permission_model.objects.none()
            for app_label, actions in ROLE_PERMISSIONS[role].items():
                for action in actions:
                    permissions = permissions | permission_model.objects.filter(
                        content_type__app_label=app_label, codename__startswith=f"{action}_"
                    )
        group.permissions.set(permissions)


ROLE_ABBREVIATIONS = {
    Role.CLERK: "Clerk",
    Role.CASHIER: "Cashier",
    Role.BILLING: "Billing",
    Role.CREDIT: "Credit",
    Role.ALARMS: "Alarms",
    Role.EMS: "EMS",
    Role.SUPERVISOR: "Supervisor",
    Role.ADMINISTRATOR: "Admin",
}


def matrix_markdown() -> str:
    """The role x area matrix as the Markdown table docs/roles.md carries."""
    header = "| Area | " + " | ".join(ROLE_ABBREVIATIONS[r] for r in Role) + " |"
    rule = "|---|" + "---|" * len(Role)
    rows = [
        f"| {area} | " + " | ".join("✓" if r in AREA_ROLES[area] else "" for r in Role) + " |"
        for area in Area
    ]
    return "\n".join([header, rule, *rows])

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
    RATES = "Rate book"
    CASHIERING = "Cashiering"
    CREDIT = "Credit Services"
    ALARMS = "Alarm Permits"
    SOLIDWASTE = "Solid Waste"
    WORK_QUEUES = "Work queues"
    STAFFING = "Staffing and supervision"
    AUDIT = "Audit trail"


ALL_ROLES = frozenset(Role)
_LEADS = {Role.SUPERVISOR, Role.ADMINISTRATOR}
# Supervisors and administrators: approvals, overrides and the section's settings.
LEADS = frozenset(_LEADS)

AREA_ROLES: dict[Area, frozenset[Role]] = {
    Area.HOME: ALL_ROLES,
    Area.ACCOUNTS: ALL_ROLES,
    Area.BILLING: frozenset({Role.CLERK, Role.BILLING, *_LEADS}),
    # The rate editor: Account Maintenance & Billing, and EMS for the
    # solid-waste schedules it sets (billing.selectors.rates narrows EMS).
    Area.RATES: frozenset({Role.BILLING, Role.EMS, *_LEADS}),
    Area.CASHIERING: frozenset({Role.CASHIER, *_LEADS}),
    Area.CREDIT: frozenset({Role.CREDIT, *_LEADS}),
    Area.ALARMS: frozenset({Role.ALARMS, *_LEADS}),
    Area.SOLIDWASTE: frozenset({Role.EMS, Role.CLERK, *_LEADS}),
    Area.WORK_QUEUES: ALL_ROLES,
    Area.STAFFING: frozenset(_LEADS),
    Area.AUDIT: frozenset(_LEADS),
}


# Field work keyed in at the office (ordering, cancelling and entering what
# the crew did): the service roles, whose sections dispatch crews (Contact
# Center and Business Office clerks, Account Maintenance & Billing for reads
# and meters, Credit Services for disconnects and reconnects), and the leads.
# Cashiers, the Alarm Unit and EMS send no crews (docs/roles.md, "Writes").
FIELD_WORK_ROLES = frozenset({Role.CLERK, Role.BILLING, Role.CREDIT, *_LEADS})

# Billing's own work (bill runs, reads, adjustments): Account Maintenance &
# Billing and the leads; others in the billing area only look.
BILLING_WORK_ROLES = frozenset({Role.BILLING, *_LEADS})

# Who works each section's queue (staffing.models.Section codes): only they
# and the leads take or close its items; anyone may add a note. Clerks staff
# the Contact Center and the Business Office (with its cashiers); the Alarm
# Permit Unit is run by Account Maintenance & Billing.
SECTION_ROLES: dict[str, frozenset[Role]] = {
    "business_office": frozenset({Role.CLERK, Role.CASHIER, *_LEADS}),
    "contact_center": frozenset({Role.CLERK, *_LEADS}),
    "account_maintenance": frozenset({Role.BILLING, Role.ALARMS, *_LEADS}),
    "credit": frozenset({Role.CREDIT, *_LEADS}),
    "solid_waste": frozenset({Role.EMS, *_LEADS}),
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


def user_works_section(user, section: str) -> bool:
    """May this user take or close the work items of ``section``?"""
    return bool(user_roles(user) & SECTION_ROLES.get(section, frozenset()))


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


@dataclass(frozen=True)
class Write:
    """A write docs/roles.md lists: a POST view, optionally on an object of
    one section (``scope``), whose roles the role-matrix test proves."""

    label: str
    url_name: str
    scope: str = ""


_SECTION_LABELS = (
    ("business_office", "Business Office"),
    ("contact_center", "Contact Center"),
    ("account_maintenance", "Account Maintenance & Billing"),
    ("credit", "Credit Services"),
    ("solid_waste", "Solid Waste Customer Service"),
)

# The writes whose roles are narrower than their area's, or depend on the
# object: the table in docs/roles.md ("Writes") is writes_markdown().
WRITES: tuple[Write, ...] = (
    Write("Order field work", "accounts:field_order"),
    Write("Cancel a field order", "accounts:field_cancel"),
    Write("Enter a field completion", "accounts:field_complete"),
    Write("Start service", "accounts:start_services"),
    Write("Stop service", "accounts:stop"),
    Write("Transfer service", "accounts:transfer"),
    Write("Write a letter", "accounts:letter_new"),
    Write("Edit a letter template", "accounts:letter_template_edit"),
    Write("Start a bill run", "billing:run_start"),
    Write("Cancel a bill (and rebill)", "billing:bill_cancel"),
    Write("Enter or import meter reads", "billing:reads_import"),
    Write("Accept or re-read a held read", "billing:read_exception_act"),
    Write("Request an adjustment", "billing:adjustment_request"),
    Write("Approve or refuse an adjustment", "billing:adjustment_decide"),
    Write("Order a meter test", "billing:meter_test"),
    Write("Start a rate version", "billing:rate_version_start"),
    Write("Edit a rate version", "billing:rate_version_edit"),
    Write("Put a rate version in force", "billing:rate_version_put_in_force"),
    Write("Discard a draft rate version", "billing:rate_version_discard"),
    Write("Create a special rate code", "billing:special_code_new"),
    Write("Put a service on a special rate code", "billing:special_code_assign"),
    Write("Model and save a rate scenario", "billing:rate_model_new"),
    Write("Ask for a rate scenario's approval", "billing:rate_model_request"),
    Write("Open or close a drawer", "cashiering:open_drawer"),
    Write("Take a counter payment", "cashiering:counter"),
    Write("Void a payment", "cashiering:payment_void"),
    Write("Transfer a payment", "cashiering:payment_transfer"),
    Write("Load a payment file", "cashiering:payment_files"),
    Write("Decide a refund", "cashiering:refund_decide"),
    Write("Make a payment arrangement", "credit:arrangement"),
    Write("Cancel a payment arrangement", "credit:arrangement_cancel"),
    Write("Place a hold", "credit:hold_add"),
    Write("Release a hold", "credit:hold_release"),
    Write("Record a pledge", "credit:pledge_new"),
    Write("Record a bankruptcy", "credit:bankruptcy_new"),
    Write("Ask for a write-off", "credit:write_off_account"),
    Write("Approve a write-off", "credit:write_off_decide"),
    Write("Run collections", "credit:collections_start"),
    Write("Issue an alarm permit", "alarms:permit_new"),
    Write("Change an alarm permit's company or responders", "alarms:permit_change"),
    Write("Renew a lapsed alarm permit", "alarms:permit_renew"),
    Write("Reinstate a suspended alarm permit", "alarms:permit_reinstate"),
    Write("Import the alarm dispatch feed", "alarms:feed"),
    Write("Import alarm permit registrations", "alarms:registrations"),
    Write("Research an alarm incident", "alarms:incident"),
    Write("File an alarm appeal", "alarms:invoice"),
    Write("Schedule an alarm appeal hearing", "alarms:appeal_schedule"),
    Write("Record an alarm appeal's decision", "alarms:appeal_decide"),
    Write("Add or change an alarm company", "alarms:company_new"),
    Write("Enter route production", "solidwaste:production_enter"),
    Write("Import route production", "solidwaste:production_import"),
    Write("Add or change a solid-waste route", "solidwaste:route_edit"),
    Write("Add or change a solid-waste truck", "solidwaste:truck_edit"),
    Write("Add or change an equipment operator or foreman", "solidwaste:crew_member_edit"),
    Write("Deliver a solid-waste container", "solidwaste:container_deliver"),
    Write("Remove a solid-waste container", "solidwaste:container_remove"),
    Write("Stop a green barrel", "solidwaste:green_stop"),
    Write("Book a solid-waste one-time order", "solidwaste:order_new"),
    Write("Mark a solid-waste order done", "solidwaste:order_complete"),
    Write("Cancel a solid-waste order", "solidwaste:order_cancel"),
    Write("Decide a request in the approvals inbox", "staffing:approval_decide"),
    Write("Import contact-center call data", "staffing:intervals_import"),
    Write("Add a note to a work item", "staffing:work_item_note", "credit"),
    Write("Pull the next work item", "staffing:work_item_next"),
    Write("Record a complaint", "staffing:complaint_new"),
    Write("Record a spot check", "staffing:spot_check"),
    Write("Note, answer, escalate or close a complaint (by its level)", "staffing:complaint_act"),
    Write("Hand a work item to someone (or by skill)", "staffing:work_item_assign"),
    *(
        Write(f"Take a work item ({label})", "staffing:work_item_assign_to_me", section)
        for section, label in _SECTION_LABELS
    ),
    *(
        Write(f"Transfer a work item ({label})", "staffing:work_item_transfer", section)
        for section, label in _SECTION_LABELS
    ),
    *(
        Write(f"Close a work item ({label})", "staffing:work_item_close", section)
        for section, label in _SECTION_LABELS
    ),
)

# Writes any role of the area may make on any section's item.
OPEN_SCOPED_WRITES = {"staffing:work_item_note"}


def write_roles(write: Write) -> frozenset[Role]:
    """The roles a write admits: its view's, narrowed by the section for
    writes on a section's work item."""
    access = view_access(write.url_name)
    if write.scope and write.url_name not in OPEN_SCOPED_WRITES:
        return access.roles & SECTION_ROLES[write.scope]
    return access.roles


def view_access(url_name: str) -> Access:
    """The Access a named URL's view declares."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern):
                yield f"{namespace}{entry.name}", entry

    for name, pattern in walk(get_resolver().url_patterns):
        if name == url_name:
            return pattern.callback.access
    raise LookupError(url_name)


def writes_markdown() -> str:
    """The writes x roles table docs/roles.md carries."""
    header = "| Write | View | Scope | " + " | ".join(ROLE_ABBREVIATIONS[r] for r in Role) + " |"
    rule = "|---|---|---|" + "---|" * len(Role)
    rows = []
    for write in WRITES:
        roles = write_roles(write)
        marks = " | ".join("✓" if r in roles else "" for r in Role)
        rows.append(f"| {write.label} | `{write.url_name}` | {write.scope} | {marks} |")
    return "\n".join([header, rule, *rows])

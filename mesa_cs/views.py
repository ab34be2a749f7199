from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from mesa_cs.lib.audit import is_audited
from mesa_cs.lib.context_processors import sections_for
from mesa_cs.lib.home import tiles_for
from mesa_cs.lib.roles import Area, allow, user_roles
from mesa_cs.selectors import audit_events_for, broker_status, database_status, worker_heartbeats


@allow(Area.HOME)
def home(request):
    return render(
        request,
        "home.html",
        {
            "roles": sorted(user_roles(request.user)),
            "sections": sections_for(request.user),
            # Each role's tiles, registered by the apps that own them (mesa_cs.lib.home).
            "groups": tiles_for(request),
        },
    )


@never_cache
def health(request):
    """For load balancers and the compose file: 200 when the database and the
    broker answer, 503 otherwise. Public, and reveals no data."""
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(status == "ok" for status in checks.values())
    checks["workers"] = worker_heartbeats()
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks},
        status=200 if healthy else 503,
    )


@allow(Area.AUDIT)
def audit_trail(request, app_label, model_name, pk):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as exc:
        raise Http404("No such record type.") from exc
    if not is_audited(model):
        raise Http404("No audit trail is kept for that record type.")
    try:
        model._meta.pk.to_python(pk)
    except ValidationError as exc:
        raise Http404("No such record.") from exc
    obj = model._default_manager.filter(pk=pk).first()
    events = audit_events_for(model, pk)
    if obj is None and not events:
        raise Http404("No such record.")
    return render(
        request,
        "audit_trail.html",
        {"obj": obj, "verbose_name": model._meta.verbose_name, "pk": pk, "events": events},
    )

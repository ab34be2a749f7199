"""Adding and changing routes, trucks and crew members (EMS supervisors and
administrators); their lists are route production's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.roles import Area, allow
from solidwaste.forms import CrewMemberForm, RouteForm, TruckForm
from solidwaste.models import CrewMember, Route, Truck
from solidwaste.services import fleet as services
from solidwaste.views.access import SETUP_ROLES


def _edit(request, *, model, form_class, save, key, pk, noun, list_name):
    item = get_object_or_404(model, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form_class.Meta.fields}
        try:
            saved = save(**{key: pk}, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{noun.capitalize()} {saved} saved.")
            return redirect(f"solidwaste:{list_name}")
    return render(
        request,
        "solidwaste/setup_edit.html",
        {
            "form": form,
            "title": f"Change {noun} {item}" if item else f"New {noun}",
            "list_name": f"solidwaste:{list_name}",
            "list_title": {"routes": "Routes", "trucks": "Trucks", "crew": "Operators and foremen"}[
                list_name
            ],
        },
    )


@allow(Area.SOLIDWASTE, roles=SETUP_ROLES)
def route_edit(request, pk: int | None = None):
    return _edit(
        request, model=Route, form_class=RouteForm, save=services.route_save, key="route_id",
        pk=pk, noun="route", list_name="routes",
    )  # fmt: skip


@allow(Area.SOLIDWASTE, roles=SETUP_ROLES)
def truck_edit(request, pk: int | None = None):
    return _edit(
        request, model=Truck, form_class=TruckForm, save=services.truck_save, key="truck_id",
        pk=pk, noun="truck", list_name="trucks",
    )  # fmt: skip


@allow(Area.SOLIDWASTE, roles=SETUP_ROLES)
def crew_member_edit(request, pk: int | None = None):
    return _edit(
        request, model=CrewMember, form_class=CrewMemberForm, save=services.crew_member_save,
        key="member_id", pk=pk, noun="crew member", list_name="crew",
    )  # fmt: skip

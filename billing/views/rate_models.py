"""Rate modelling (docs/rate_modelling.md): the saved scenarios, a new one
modelled and saved, a scenario's result, scenarios side by side, and the
council memo as PDF and XLSX."""

from __future__ import annotations

import re
from decimal import Decimal

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from billing.filters import RateScenarioFilter
from billing.forms.rate_models import ApprovalRequestForm, ChangeFormSet, ScenarioForm
from billing.selectors import rate_models as selectors
from billing.selectors import rates as rate_selectors
from billing.services import rate_models as services
from billing.services.rate_scenario_approval import rate_scenario_request
from billing.tables import RateScenarioTable
from mesa_cs.lib.dates import today
from mesa_cs.lib.export import SafeExportMixin, neutralise
from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.pdf import render_pdf
from mesa_cs.lib.roles import AllowMixin, Area, allow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COMPARED = 4


class RateScenarioListView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    area = Area.RATES
    table_class = RateScenarioTable
    filterset_class = RateScenarioFilter
    template_name = "billing/rate_models/list.html"
    paginate_by = 50
    export_name = "rate-scenarios"

    def get_queryset(self):
        return selectors.scenarios_list()


def _schedules(user):
    return [
        s
        for s in rate_selectors.rate_schedules_list()
        if s.in_force_since and rate_selectors.user_may_edit_schedule(user, s)
    ]


@allow(Area.RATES)
def rate_model_new(request):
    schedules = _schedules(request.user)
    initial = {"effective": today().replace(day=1)}
    form = ScenarioForm(request.POST or None, initial=initial)
    changes = ChangeFormSet(
        request.POST or None, prefix="change", form_kwargs={"schedules": schedules}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and changes.is_valid():
            lines = [c for c in (f.change() for f in changes) if c is not None]
            try:
                scenario = services.rate_scenario_create(
                    **form.cleaned_data, changes=lines, by=request.user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Scenario “{scenario.name}” modelled and saved.")
                return redirect(scenario)
    context = {"form": form, "changes": changes, "schedules": schedules}
    return render(request, "billing/rate_models/new.html", context, status=status)


def _scenario(pk):
    scenario = selectors.scenario_by_pk(pk)
    if scenario is None:
        raise Http404("No such rate scenario.")
    return scenario


def _detail(request, scenario, form=None, status=200):
    waiting = scenario.status in (scenario.Status.MODELLED, scenario.Status.DECLINED)
    may_ask = waiting and all(
        rate_selectors.user_may_edit_schedule(request.user, s)
        for s in rate_selectors.schedules_by_codes(list(scenario.result.get("versions", {})))
    )
    context = {
        "scenario": scenario,
        "versions": selectors.scenario_versions(scenario),
        "request_form": (form or ApprovalRequestForm()) if may_ask else None,
    }
    return render(request, "billing/rate_models/detail.html", context, status=status)


@allow(Area.RATES)
def rate_model(request, pk):
    return _detail(request, _scenario(pk))


@allow(Area.RATES)
@require_POST
def rate_model_request(request, pk):
    """Ask a supervisor to approve and apply the scenario."""
    scenario = _scenario(pk)
    form = ApprovalRequestForm(request.POST)
    if form.is_valid():
        try:
            rate_scenario_request(
                scenario_id=scenario.pk, note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Scenario “{scenario.name}” is waiting for a supervisor's approval."
            )
            return redirect(scenario)
    return _detail(request, _scenario(pk), form=form, status=400)


@allow(Area.RATES)
def rate_model_compare(request):
    pks = [int(v) for v in request.GET.getlist("s") if v.isdigit()][:MAX_COMPARED]
    scenarios = selectors.scenarios_by_pks(pks)
    codes = sorted({row["code"] for s in scenarios for row in s.result.get("rows", [])})
    table = [
        {
            "code": code,
            "cells": [
                next((r for r in s.result.get("rows", []) if r["code"] == code), None)
                for s in scenarios
            ],
        }
        for code in codes
    ]
    context = {"scenarios": scenarios, "table": table, "too_few": len(scenarios) < 2}
    return render(request, "billing/rate_models/compare.html", context)


@allow(Area.RATES)
def rate_model_pdf(request, pk):
    scenario = _scenario(pk)
    pdf = render_pdf(
        "billing/rate_models/memo_pdf.html", {"scenario": scenario, "printed": today()}
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rate-scenario-{scenario.pk}.pdf"'
    return response


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _cell(value):
    # Amounts are kept as text in the result; the sheet gets numbers.
    if isinstance(value, str):
        return Decimal(value) if NUMBER.match(value) else neutralise(value)
    return value


def _sheet(title: str, headers: list[str], rows: list[list]) -> tablib.Dataset:
    sheet = tablib.Dataset(title=title)
    sheet.headers = headers
    for row in rows:
        sheet.append([_cell(v) for v in row])
    return sheet


MONEY_KEYS = ["current", "proposed", "change", "percent"]
MONEY_HEADERS = ["Now", "Proposed", "Change", "Change %"]


@allow(Area.RATES)
def rate_model_xlsx(request, pk):
    scenario = _scenario(pk)
    result = scenario.result
    summary = _sheet(
        "Scenario",
        ["Field", "Value"],
        [
            ["Scenario", scenario.name],
            ["Effective", scenario.effective.isoformat()],
            ["Year of billing", f"{result['year_start']} to {result['year_end']}"],
            ["Changes", "; ".join(result["changes"])],
            ["Note", scenario.note or "—"],
        ],
    )
    revenue = _sheet(
        "Revenue by schedule",
        [
            "Schedule",
            "Name",
            "Class",
            "Active services",
            "Containers",
            "Bill segments",
            *MONEY_HEADERS,
            "Estimated from services",
        ],  # fmt: skip
        [
            [
                r["code"],
                r["name"],
                r["customer_class"],
                r["services"],
                r["containers"],
                r["bill_segments"],
                *[r[k] for k in MONEY_KEYS],
                "yes" if r["estimated"] else "no",
            ]
            for r in result["rows"]
        ],  # fmt: skip
    )
    classes = _sheet(
        "Revenue by class",
        ["Class", *MONEY_HEADERS],
        [[r["customer_class"], *[r[k] for k in MONEY_KEYS]] for r in result["classes"]]
        + [["Total", *[result["total"][k] for k in MONEY_KEYS]]],
    )
    typical = _sheet(
        "Typical bills",
        ["Schedule", "Name", "Typical customer", *MONEY_HEADERS],
        [
            [r["code"], r["name"], r["customer"], *[r[k] for k in MONEY_KEYS]]
            for r in result["typical"]
        ],
    )
    book = tablib.Databook([summary, revenue, classes, typical])
    response = HttpResponse(book.export("xlsx"), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rate-scenario-{scenario.pk}.xlsx"'
    return response

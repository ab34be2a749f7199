"""An invoice and its appeal: filing, the hearing, the decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alarms.forms import AppealForm, DecisionForm, ScheduleForm
from alarms.rules import fees
from alarms.selectors import permits as selectors
from alarms.services.appeals import appeal_decide, appeal_file, appeal_schedule
from mesa_cs.lib.dates import today
from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.roles import LEADS, Area, allow, user_roles


@allow(Area.ALARMS)
def invoice(request, number):
    invoice = selectors.invoice_page(number)
    if invoice is None:
        raise Http404("No such invoice.")
    form = AppealForm(request.POST or None, initial={"filed_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            appeal = appeal_file(invoice=invoice, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Appeal filed; the fee is stayed. Hear it by {appeal.hearing_by:%m/%d/%Y}.",
            )
            return redirect(appeal)
    appealable = invoice.kind == "false_alarm" and not invoice.appeals.exists()
    return render(
        request,
        "alarms/invoice.html",
        {
            "invoice": invoice,
            "assessments": list(invoice.assessments.all()),
            "open_amount": selectors.invoice_open_amount(invoice),
            "appeal_by": fees.appeal_deadline(invoice.issued_on) if appealable else None,
            "form": form if appealable else None,
        },
    )


def _appeal(pk):
    appeal = selectors.appeal_page(pk)
    if appeal is None:
        raise Http404("No such appeal.")
    return appeal


def _appeal_page(request, appeal, *, schedule_form=None, decision_form=None):
    """The appeal with its hearing and decision forms (a refused one with its errors)."""
    return render(
        request,
        "alarms/appeal.html",
        {
            "appeal": appeal,
            "assessments": list(appeal.invoice.assessments.all()),
            "schedule_form": schedule_form
            or ScheduleForm(
                initial={
                    "hearing_on": appeal.hearing_on,
                    "hearing_time": appeal.hearing_time,
                    "place": appeal.hearing_place,
                }
            ),
            "decision_form": decision_form or DecisionForm(),
            "can_decide": bool(user_roles(request.user) & LEADS),
        },
    )


@allow(Area.ALARMS)
def appeal(request, pk):
    return _appeal_page(request, _appeal(pk))


@allow(Area.ALARMS)
@require_POST
def appeal_schedule_view(request, pk):
    appeal = _appeal(pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            appeal_schedule(appeal=appeal, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Hearing scheduled; the letter is on its way.")
            return redirect(appeal)
    return _appeal_page(request, appeal, schedule_form=form)


@allow(Area.ALARMS, roles=LEADS)
@require_POST
def appeal_decide_view(request, pk):
    appeal = _appeal(pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            appeal_decide(appeal=appeal, by=request.user, on=today(), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Decision recorded; the letter is on its way.")
            return redirect(appeal)
    return _appeal_page(request, appeal, decision_form=form)

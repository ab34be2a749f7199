"""The section page, permits, the counter's lookup, alarm companies, and
the permit and invoice PDFs."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alarms.forms import CompanyForm, PermitChangeForm, PermitForm, ReinstateForm
from alarms.models import AlarmCompany
from alarms.rules import fees
from alarms.selectors import permits as selectors
from alarms.services import permits as permit_services
from alarms.services.renewals import permit_renew
from alarms.services.suspensions import permit_reinstate
from mesa_cs.lib.dates import today
from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.pdf import render_pdf
from mesa_cs.lib.roles import LEADS, Area, allow, user_roles
from staffing.models import Section
from staffing.shortcuts import section_index


@allow(Area.ALARMS)
def index(request):
    return section_index(
        request,
        template="alarms/index.html",
        section=Section.ACCOUNT_MAINTENANCE,
        figures=selectors.unit_figures(today()),
        renewals_to=today() + timedelta(days=fees.RENEWAL_NOTICE_DAYS),
    )


@allow(Area.ALARMS)
def permit_new(request):
    form = PermitForm(request.POST or None, initial={"issued_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application = permit_services.Application(
            holder_name=data["holder_name"],
            customer_class=data["customer_class"],
            address=data["address"],
            zip_code=data["zip_code"],
            functions=data["functions"],
            issued_on=data["issued_on"],
            phone=data["phone"],
            email=data["email"],
            business=data["business"],
            preferred_language=data["preferred_language"],
            alarm_company=data["alarm_company"],
            account=data["account"],
            responders=[
                (data["responder_1_name"], data["responder_1_phone"]),
                (data["responder_2_name"], data["responder_2_phone"]),
            ],
        )
        try:
            permit = permit_services.permit_apply(application, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Permit {permit.number} issued; its fee is invoiced to alarm account "
                f"{permit.account.number}.",
            )
            return redirect(permit)
    return render(request, "alarms/permit_new.html", {"form": form})


def _permit(number):
    permit = selectors.permit_page(number)
    if permit is None:
        raise Http404("No such permit.")
    return permit


@allow(Area.ALARMS)
def permit(request, number):
    permit = _permit(number)
    return render(
        request,
        "alarms/permit.html",
        {
            "permit": permit,
            **selectors.permit_story(permit),
            "reinstate_form": ReinstateForm(),
            "can_reinstate": bool(user_roles(request.user) & LEADS),
        },
    )


@allow(Area.ALARMS)
def permit_pdf(request, number):
    permit = _permit(number)
    pdf = render_pdf(
        "alarms/permit_pdf.html",
        {"permit": permit, "responders": list(permit.responders.all())},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="permit-{permit.number}.pdf"'
    return response


@allow(Area.ALARMS)
def permit_change(request, number):
    """The holder's call: another alarm company, new responders."""
    permit = _permit(number)
    responders = list(permit.responders.all())
    initial = {"alarm_company": permit.alarm_company}
    for position, responder in enumerate(responders[:2], start=1):
        initial[f"responder_{position}_name"] = responder.name
        initial[f"responder_{position}_phone"] = responder.phone
    form = PermitChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            permit_services.permit_update(
                permit=permit,
                alarm_company=form.cleaned_data["alarm_company"],
                responders=form.responders(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Permit {permit.number} changed.")
            return redirect(permit)
    return render(request, "alarms/permit_change.html", {"permit": permit, "form": form})


@allow(Area.ALARMS)
@require_POST
def permit_renew_view(request, number):
    permit = _permit(number)
    try:
        permit_renew(permit=permit, on=today(), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Permit {permit.number} renewed for a year; its fee is invoiced."
        )
    return redirect(permit)


@allow(Area.ALARMS, roles=LEADS)
@require_POST
def permit_reinstate_view(request, number):
    permit = _permit(number)
    form = ReinstateForm(request.POST)
    if form.is_valid():
        try:
            permit_reinstate(
                permit=permit, on=today(), by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Permit {permit.number} reinstated.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(permit)


@allow(Area.ALARMS)
def lookup(request):
    """The Licensing counter: who holds a permit at this address, or by name."""
    query = request.GET.get("q", "")[:120]
    return render(
        request,
        "alarms/lookup.html",
        {
            "query": query,
            "permits": selectors.lookup(query),
            "unpermitted": selectors.unpermitted_incidents_at(query) if query else [],
        },
    )


def _invoice(number):
    invoice = selectors.invoice_page(number)
    if invoice is None:
        raise Http404("No such invoice.")
    return invoice


@allow(Area.ALARMS)
def invoice_pdf(request, number):
    invoice = _invoice(number)
    pdf = render_pdf(
        "alarms/invoice_pdf.html",
        {
            "invoice": invoice,
            "assessments": list(invoice.assessments.all()),
            "open_amount": selectors.invoice_open_amount(invoice),
            "appeal_by": fees.appeal_deadline(invoice.issued_on)
            if invoice.kind == "false_alarm"
            else None,
            "holder": invoice.account.name,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="invoice-{invoice.number}.pdf"'
    return response


@allow(Area.ALARMS)
def company(request, pk):
    company = get_object_or_404(AlarmCompany, pk=pk)
    return render(
        request,
        "alarms/company.html",
        {"company": company, "permits": selectors.company_permits(company)[:500]},
    )


@allow(Area.ALARMS)
def company_edit(request, pk=None):
    company = get_object_or_404(AlarmCompany, pk=pk) if pk else None
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in CompanyForm.Meta.fields}
        try:
            saved = permit_services.company_save(company=company, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect(saved)
    return render(request, "alarms/company_edit.html", {"form": form, "company": company})

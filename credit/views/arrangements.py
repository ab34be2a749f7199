"""Payment arrangements, assistance pledges and enrolments, and the
collector's call log: pages over ``services.arrangements``,
``services.assistance`` and ``services.calls``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.models import Account, ProgramEnrolment
from accounts.services import enrolments as enrolments_service
from credit.filters.arrangements import ArrangementFilter, PledgeFilter
from credit.forms.arrangements import (
    ArrangementCancelForm,
    ArrangementForm,
    CallForm,
    EnrolmentEndForm,
    EnrolmentForm,
    PledgeForm,
    PledgePaidForm,
)
from credit.models import PaymentArrangement, Pledge
from credit.selectors.arrangements import (
    account_calls,
    account_pledges,
    arrangement_page,
    arrangements_list,
    pledges_list,
)
from credit.services import arrangements, assistance, calls
from credit.tables.arrangements import ArrangementTable, PledgeTable
from mesa_cs.lib.export import SafeExportMixin
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.roles import AllowMixin, Area, Role, allow


def _account(number: str) -> Account:
    return get_object_or_404(Account, number=number)


# --- Payment arrangements --------------------------------------------------------


@allow(Area.CREDIT)
def arrangement(request, number):
    """Eligibility, the form, and the account's arrangements with schedules."""
    account = _account(number)
    today = timezone.localdate()
    form = ArrangementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        terms = {
            "account": account,
            "amount": data["amount"],
            "down_payment": data["down_payment"],
            "months": data["months"],
            "on": today,
        }
        # Outside the policy, a supervisor decides it in the approvals inbox.
        asked = bool(arrangements.arrangement_eligibility(account, today))
        try:
            if asked:
                arrangements.arrangement_request(
                    **terms, requested_by=request.user, override_reason=data["override_reason"]
                )
            else:
                made = arrangements.arrangement_make(**terms, made_by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if asked:
                messages.warning(
                    request,
                    "The arrangement waits for a supervisor's approval; "
                    "collection goes on until it is approved.",
                )
            else:
                messages.success(
                    request,
                    f"Arrangement #{made.pk} made: {money_text(made.amount)} over "
                    f"{made.months} months; collection is held while it is kept.",
                )
            return redirect("credit:arrangement", number=account.number)
    context = {
        "account": account,
        "page": arrangement_page(account, today),
        "form": form,
        "cancel_form": ArrangementCancelForm(),
        "can_cancel": arrangements.is_supervisor(request.user),
    }
    return render(request, "credit/arrangement.html", context, status=400 if form.errors else 200)


@allow(Area.CREDIT, roles={Role.SUPERVISOR})
@require_POST
def arrangement_cancel(request, pk):
    made = get_object_or_404(PaymentArrangement.objects.select_related("account"), pk=pk)
    form = ArrangementCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the arrangement is cancelled.")
    else:
        try:
            arrangements.arrangement_cancel(
                arrangement=made,
                reason=form.cleaned_data["reason"],
                by=request.user,
                on=timezone.localdate(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"Arrangement #{made.pk} cancelled; what was not yet billed is due today."
            )
    return redirect("credit:arrangement", number=made.account.number)


class ArrangementsView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    area = Area.CREDIT
    table_class = ArrangementTable
    filterset_class = ArrangementFilter
    template_name = "credit/arrangements.html"
    paginate_by = 50
    export_name = "arrangements"

    def get_queryset(self):
        return arrangements_list()


# --- Assistance ----------------------------------------------------------------------


@allow(Area.CREDIT)
def pledge_new(request, number):
    """Record an agency's pledge; the account's pledges, with the agency's
    payment for the pending ones."""
    account = _account(number)
    form = PledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pledge = assistance.pledge_record(
                account=account,
                recorded_by=request.user,
                on=timezone.localdate(),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{pledge.get_agency_display()} pledge of {money_text(pledge.amount)} recorded; collection "
                f"is held until {pledge.expires_on:%m/%d/%Y}.",
            )
            return redirect("credit:pledge_new", number=account.number)
    context = {
        "account": account,
        "form": form,
        "pledges": account_pledges(account),
        "paid_form": PledgePaidForm(),
    }
    return render(request, "credit/pledge.html", context, status=400 if form.errors else 200)


@allow(Area.CREDIT)
@require_POST
def pledge_paid(request, pk):
    pledge = get_object_or_404(Pledge.objects.select_related("account"), pk=pk)
    form = PledgePaidForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the amount the agency paid.")
    else:
        try:
            assistance.pledge_paid(
                pledge=pledge,
                payment_amount=form.cleaned_data["payment_amount"],
                on=timezone.localdate(),
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"{money_text(form.cleaned_data['payment_amount'])} from {pledge.get_agency_display()} "
                "posted to the account; the hold is released.",
            )
    return redirect("credit:pledge_new", number=pledge.account.number)


class PledgesView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    area = Area.CREDIT
    table_class = PledgeTable
    filterset_class = PledgeFilter
    template_name = "credit/pledges.html"
    paginate_by = 50
    export_name = "pledges"

    def get_queryset(self):
        return pledges_list()


@allow(Area.CREDIT)
def enrolments(request, number):
    """SEA and LISR enrolments with their eligibility dates."""
    account = _account(number)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = enrolments_service.enrolment_start(account=account, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Enrolled in {made.get_program_display()} from {made.starts_on:%m/%d/%Y} "
                f"to {made.ends_on:%m/%d/%Y}.",
            )
            return redirect("credit:enrolments", number=account.number)
    context = {
        "account": account,
        "form": form,
        "enrolments": list(account.enrolments.all()),
        "end_form": EnrolmentEndForm(initial={"ends_on": timezone.localdate()}),
    }
    return render(request, "credit/enrolments.html", context, status=400 if form.errors else 200)


@allow(Area.CREDIT)
@require_POST
def enrolment_end(request, pk):
    enrolment = get_object_or_404(ProgramEnrolment.objects.select_related("account"), pk=pk)
    form = EnrolmentEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the last day the enrolment covers.")
    else:
        try:
            enrolments_service.enrolment_end(
                enrolment=enrolment, ends_on=form.cleaned_data["ends_on"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"{enrolment.get_program_display()} ends on "
                f"{form.cleaned_data['ends_on']:%m/%d/%Y}.",
            )
    return redirect("credit:enrolments", number=enrolment.account.number)


# --- The collector's call log ----------------------------------------------------------


@allow(Area.CREDIT)
def call_log(request, number):
    """Log a call; a call outside the hours or over the attempt limit shows
    the rule and asks why it is made anyway."""
    account = _account(number)
    form = CallForm(request.POST or None)
    blocked: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = calls.call_log(
                account=account,
                outcome=data["outcome"],
                notes=data["notes"],
                called_by=request.user,
                called_at=data["called_at"],
                override_reason=data["override_reason"],
            )
        except calls.CallRuleBlocked as exc:
            blocked = exc.messages
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            note = " (rule overridden)" if call.override_reason else ""
            messages.success(request, f"Call logged: {call.get_outcome_display()}{note}.")
            return redirect("credit:call_log", number=account.number)
    context = {
        "account": account,
        "form": form,
        "blocked": blocked,
        "calls": account_calls(account),
    }
    failed = form.errors or blocked
    return render(request, "credit/calls.html", context, status=400 if failed else 200)

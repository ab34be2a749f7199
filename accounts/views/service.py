"""Start, stop and transfer service: guided pages over the services in
``services.start`` and ``services.orders``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.forms.field import CancelActivityForm, FieldOrderForm
from accounts.forms.service import PersonForm, StartForm, StopForm, TransferForm
from accounts.models import FieldActivity, Person, Premise, ProgramEnrolment
from accounts.selectors.accounts import account_open_agreements, agreements_with_meter
from accounts.selectors.service import open_premises, person_search, premise_choices, premise_search
from accounts.services import person_create
from accounts.services.customers import person_mailing_address_set
from accounts.services.deposits import installment_amounts
from accounts.services.enrolments import enrolment_dates
from accounts.services.field import field_activity_cancel, field_work_request
from accounts.services.orders import service_stop, service_transfer
from accounts.services.start import connection_fees, deposit_required, programs_check, service_start
from accounts.views.accounts import _account_or_404
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.money import ZERO
from mesa_cs.lib.roles import FIELD_WORK_ROLES, Area, Role, allow

# Starting and stopping service is front-counter and phone work.
SERVICE_ROLES = {
    Role.CLERK,
    Role.CASHIER,
    Role.BILLING,
    Role.CREDIT,
    Role.SUPERVISOR,
    Role.ADMINISTRATOR,
}


@allow(Area.ACCOUNTS, roles=SERVICE_ROLES)
def start_customer(request):
    """Step 1: the customer, found or new."""
    query = request.GET.get("q", "").strip()
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(f"{reverse('accounts:start_premise')}?person={person.pk}")
    context = {"query": query, "people": person_search(query), "form": form, "step": 1}
    return render(
        request,
        "accounts/service/start_customer.html",
        context,
        status=400 if form.errors else 200,
    )


@allow(Area.ACCOUNTS, roles=SERVICE_ROLES)
def start_premise(request):
    """Step 2: the service address."""
    person = get_object_or_404(Person, pk=request.GET.get("person") or 0)
    query = request.GET.get("q", "").strip()
    context = {
        "person": person,
        "query": query,
        "choices": premise_search(query),
        "step": 2,
        "next_url": f"{reverse('accounts:start_services')}?person={person.pk}&premise=",
    }
    return render(request, "accounts/service/start_premise.html", context)


@allow(Area.ACCOUNTS, roles=SERVICE_ROLES)
def start_services(request):
    """Step 3: services, dates and deposit; a review, then the start."""
    person = get_object_or_404(Person, pk=request.GET.get("person") or 0)
    premise = get_object_or_404(Premise, pk=request.GET.get("premise") or 0)
    form = StartForm(request.POST or None, premise=premise)
    review = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "confirm" in request.POST:
                outcome = service_start(
                    person=person,
                    premise=premise,
                    services=form.requests(),
                    starts_on=data["starts_on"],
                    customer_class=data["customer_class"],
                    same_day=data["same_day"],
                    estimated_highest_month=data["estimated_highest_month"],
                    deposit_installments=data["deposit_installments"],
                    bond_reference=data["bond_reference"],
                    bond_expires_on=data["bond_expires_on"],
                    programs=data["programs"],
                    program_verified_by=data["program_verified_by"],
                    ordered_by=request.user,
                )
                messages.success(request, _start_message(outcome))
                return redirect("accounts:detail", number=outcome.account.number)
            review = _review(person, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
    context = {
        "person": person,
        "choice": premise_choices([premise])[0],
        "form": form,
        "review": review,
        "step": 3,
    }
    return render(
        request,
        "accounts/service/start_services.html",
        context,
        status=400 if form.errors else 200,
    )


def _review(person, form) -> dict:
    data = form.cleaned_data
    requests = form.requests()
    # Refused now, naming the field, rather than when the clerk confirms.
    programs_check(
        programs=data["programs"],
        customer_class=data["customer_class"],
        utilities={r.utility for r in requests},
        verified_by=data["program_verified_by"],
    )
    fees = connection_fees([r.utility for r in requests], same_day=data["same_day"])
    deposit, reasons = deposit_required(
        person=person,
        customer_class=data["customer_class"],
        on=data["starts_on"],
        estimated_highest_month=data["estimated_highest_month"],
        solid_waste_only=all(r.utility == "solid_waste" for r in requests),
    )
    total_fees = settings.ACCOUNT_SETUP_FEE + sum(f for _, f in fees)
    bond = bool(data["bond_reference"])
    # A cash deposit's first installment is due now; a bond takes its place.
    deposit_now = (
        installment_amounts(deposit, data["deposit_installments"])[0]
        if deposit and not bond
        else ZERO
    )
    return {
        "setup_fee": settings.ACCOUNT_SETUP_FEE,
        "fees": fees,
        "total_fees": total_fees,
        "deposit": deposit,
        "deposit_now": deposit_now,
        "installments": data["deposit_installments"],
        "total_today": total_fees + deposit_now,
        "reasons": reasons,
        "bond": bond,
        "turn_ons": [r.utility for r in requests if r.utility in ("electric", "gas", "water")],
        "enrolments": [
            (ProgramEnrolment.Program(program).label, *enrolment_dates(program, data["starts_on"]))
            for program in data["programs"]
        ],
    }


def _start_message(outcome) -> str:
    text = f"Account {outcome.account.number} opened; fees {money_text(outcome.fees)}."
    if outcome.deposit is not None:
        text += f" Deposit {money_text(outcome.deposit.amount)} ({outcome.deposit.get_form_display().lower()})."
    for enrolment in outcome.enrolments:
        text += (
            f" Enrolled in {enrolment.get_program_display()} "
            f"{enrolment.starts_on:%m/%d/%Y}–{enrolment.ends_on:%m/%d/%Y}."
        )
    orders = sum(1 for sa in outcome.agreements if sa.status == "pending")
    if orders:
        text += f" {orders} turn-on order{'s' if orders > 1 else ''} sent to the field."
    return text


@allow(Area.ACCOUNTS, roles=SERVICE_ROLES)
def stop(request, number):
    account = _account_or_404(number)
    premises = open_premises(account)
    form = StopForm(request.POST or None, premises=premises)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                orders = service_stop(
                    account=account,
                    stops_on=data["stops_on"],
                    premise=data["premise"],
                    same_day=data["same_day"],
                    ordered_by=request.user,
                )
                _forwarding_address(account, form.forwarding())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Service at {data['premise'].address_line} stops on {data['stops_on']:%m/%d/%Y}. "
                + (
                    f"{len(orders)} final read order(s) sent; the final bill follows the read."
                    if orders
                    else "The final bill is being prepared."
                ),
            )
            return redirect("accounts:detail", number=account.number)
    return render(
        request,
        "accounts/service/stop.html",
        {"account": account, "form": form, "premises": premises},
        status=400 if form.errors else 200,
    )


def _forwarding_address(account, address: dict) -> None:
    if not address:
        return
    holder = account.links.filter(role="main", ends_on__isnull=True).first()
    if holder is not None:
        person_mailing_address_set(person=holder.person, **address)


@allow(Area.ACCOUNTS, roles=SERVICE_ROLES)
def transfer(request, number):
    """A move within Mesa: choose the new address, then the services there."""
    account = _account_or_404(number)
    old = open_premises(account)
    premise_id = request.GET.get("premise")
    if not premise_id:
        query = request.GET.get("q", "").strip()
        return render(
            request,
            "accounts/service/transfer_premise.html",
            {
                "account": account,
                "query": query,
                "choices": premise_search(query),
                "old": old,
                "next_url": f"{reverse('accounts:transfer', args=[account.number])}?premise=",
            },
        )
    premise = get_object_or_404(Premise, pk=premise_id)
    initial = {}
    for sa in account.agreements.filter(
        premise__in=old, status__in=["pending", "active", "disconnected"]
    ):
        initial[f"{sa.utility}_on"] = True
        initial[f"{sa.utility}_schedule"] = sa.rate_schedule
        if sa.containers:
            initial["solid_waste_containers"] = sa.containers
    form = TransferForm(request.POST or None, premise=premise, old_premises=old, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = service_transfer(
                account=account,
                from_premise=data["from_premise"],
                to_premise=premise,
                services=form.requests(),
                stops_on=data["stops_on"],
                starts_on=data["starts_on"],
                same_day=data["same_day"],
                ordered_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Service moves to {premise.address_line} on {data['starts_on']:%m/%d/%Y}: "
                f"{len(outcome.stop_orders)} final read and "
                f"{sum(1 for sa in outcome.agreements if sa.status == 'pending')} turn-on order(s) "
                "sent. The balance and deposit stay on the account.",
            )
            return redirect("accounts:detail", number=account.number)
    return render(
        request,
        "accounts/service/transfer.html",
        {"account": account, "choice": premise_choices([premise])[0], "form": form},
        status=400 if form.errors else 200,
    )


@allow(Area.ACCOUNTS, roles=FIELD_WORK_ROLES)
def field_order(request, number):
    """Order field work (a re-read, a meter test, a high-bill investigation…)
    on one of the account's open services."""
    account = _account_or_404(number)
    agreements = account_open_agreements(account)
    form = FieldOrderForm(
        request.POST or None,
        agreements=agreements,
        metered=agreements_with_meter(agreements),
        initial={"key": uuid.uuid4().hex},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = field_work_request(
                account=account,
                agreement=data["agreement"],
                kind=data["kind"],
                scheduled_on=data["scheduled_on"],
                same_day=data["same_day"],
                notes=data["notes"],
                ordered_by=request.user,
                request_key=data["key"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{activity.get_kind_display()}, {activity.utility_label.lower()}, ordered for "
                f"{activity.scheduled_on:%m/%d/%Y} (area {activity.area or 'not set'}).",
            )
            return redirect("accounts:detail", number=account.number)
    return render(
        request,
        "accounts/service/field_order.html",
        {"account": account, "form": form, "has_services": bool(agreements)},
        status=400 if form.errors else 200,
    )


@allow(Area.ACCOUNTS, roles=FIELD_WORK_ROLES)
@require_POST
def field_cancel(request, pk):
    activity = get_object_or_404(FieldActivity.objects.select_related("account"), pk=pk)
    form = CancelActivityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the order is cancelled.")
    else:
        try:
            field_activity_cancel(
                activity_id=activity.pk, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{activity.get_kind_display()} order cancelled.")
    return redirect("accounts:detail", number=activity.account.number)

"""Container services and one-time orders: the services list, a premise's
containers with their history and orders, delivery, removal, the green
barrel's stop, booking an order, and the dispatch list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import ServiceAgreement
from mesa_cs.lib.dates import today
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.roles import Area, allow, user_roles
from solidwaste import filters, tables
from solidwaste.forms import (
    DeliverForm,
    GreenStopForm,
    OrderCancelForm,
    OrderCompleteForm,
    OrderForm,
    RemoveForm,
)
from solidwaste.models import Container, Order
from solidwaste.rules.containers import GREEN_SCHEDULE, green_minimum_ends
from solidwaste.selectors import containers as selectors
from solidwaste.services import containers as services
from solidwaste.views.access import CONTAINER_ROLES, ORDER_CLOSE_ROLES, ORDER_ROLES
from solidwaste.views.production import ProductionList


class AreaList(ProductionList):
    """A list the whole Solid Waste area reads (not only production's roles)."""

    roles = None


class ServicesView(AreaList):
    table_class, filterset_class = tables.ServiceTable, filters.ServiceFilter
    rows = staticmethod(selectors.services_list)
    export_name = "solid-waste-services"
    extra_context = {"title": "Container services"}


class OrdersView(AreaList):
    table_class, filterset_class = tables.OrderTable, filters.OrderFilter
    rows = staticmethod(selectors.orders_list)
    export_name = "solid-waste-orders"
    extra_context = {"title": "One-time orders by route"}


def _one_service(agreements) -> dict:
    """The service preselected when the premise has just one."""
    return {"agreement": agreements.first()} if agreements.count() == 1 else {}


def _premise_page(request, premise_id, *, deliver_form=None):
    page = selectors.premise_containers(premise_id)
    if page is None:
        raise Http404
    can_deliver = bool(user_roles(request.user) & CONTAINER_ROLES)
    services_qs = selectors.open_services_at(page.premise)
    return render(
        request,
        "solidwaste/premise.html",
        {
            "page": page,
            "can_deliver": can_deliver,
            "can_order": bool(user_roles(request.user) & ORDER_ROLES),
            "can_close_orders": bool(user_roles(request.user) & ORDER_CLOSE_ROLES),
            "deliver_form": deliver_form
            or DeliverForm(agreements=services_qs, initial=_one_service(services_qs)),
            "remove_form": RemoveForm(),
            "green": GREEN_SCHEDULE,
        },
    )


@allow(Area.SOLIDWASTE)
def premise(request, premise_id: int):
    return _premise_page(request, premise_id)


@allow(Area.SOLIDWASTE, roles=CONTAINER_ROLES)
@require_POST
def container_deliver(request, premise_id: int):
    page = selectors.premise_containers(premise_id)
    if page is None:
        raise Http404
    form = DeliverForm(request.POST, agreements=selectors.open_services_at(page.premise))
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            container = services.container_deliver(
                agreement_id=data.pop("agreement").pk, by=request.user, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{container.get_kind_display()} delivered on {container.delivered_on:%m/%d/%Y}.",
            )
            return redirect("solidwaste:premise", premise_id)
    return _premise_page(request, premise_id, deliver_form=form)


@allow(Area.SOLIDWASTE, roles=CONTAINER_ROLES)
@require_POST
def container_remove(request, pk: int):
    form = RemoveForm(request.POST)
    container = get_object_or_404(Container, pk=pk)
    if form.is_valid():
        try:
            services.container_remove(
                container_id=pk,
                removed_on=form.cleaned_data["removed_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{container.get_kind_display()} removed.")
    else:
        messages.error(request, "Give the removal date (not after today) and the reason.")
    return redirect("solidwaste:premise", container.premise_id)


@allow(Area.SOLIDWASTE, roles=CONTAINER_ROLES)
def green_stop(request, agreement_id: int):
    """Stop a green barrel: the six-month minimum and what an early stop
    still charges are shown before the clerk confirms."""
    sa = get_object_or_404(
        ServiceAgreement.objects.select_related("premise", "account"),
        pk=agreement_id,
        utility="solid_waste",
    )
    form = GreenStopForm(request.POST or None, initial={"stops_on": today()})
    stops_on = today()
    if form.is_bound and form.is_valid():
        stops_on = form.cleaned_data["stops_on"]
    if request.method == "POST" and form.is_valid():
        try:
            amount, _ = services.green_stop_quote(sa, stops_on)
            services.green_barrel_stop(agreement_id=sa.pk, stops_on=stops_on, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            charged = f"; {money_text(amount)} for the rest of the minimum is on the next bill"
            messages.success(
                request,
                f"Green barrel stopped on {stops_on:%m/%d/%Y}{charged if amount else ''}.",
            )
            return redirect("solidwaste:premise", sa.premise_id)
    amount, description = services.green_stop_quote(sa, stops_on) if sa.is_open else (None, "")
    return render(
        request,
        "solidwaste/green_stop.html",
        {
            "sa": sa,
            "form": form,
            "minimum_ends": green_minimum_ends(sa.starts_on),
            "stops_on": stops_on,
            "amount": amount,
            "description": description,
            "is_green": services.base_schedule(sa) == GREEN_SCHEDULE and sa.is_open,
        },
    )


@allow(Area.SOLIDWASTE, roles=ORDER_ROLES)
def order_new(request, premise_id: int):
    page = selectors.premise_containers(premise_id)
    if page is None:
        raise Http404
    agreements = selectors.open_services_at(page.premise)
    initial = {"kind": request.GET.get("kind", "bulk_pickup"), "scheduled_on": today()}
    initial |= _one_service(agreements)
    form = OrderForm(request.POST or None, agreements=agreements, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sa = data.pop("agreement")
        try:
            order = services.order_book(agreement_id=sa.pk, by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{order.get_kind_display()} booked for {order.scheduled_on:%m/%d/%Y} on route "
                f"{order.route.code}: {money_text(order.amount)} on the next bill.",
            )
            return redirect(reverse("solidwaste:premise", args=[premise_id]))
    account_id = initial.get("agreement").account_id if "agreement" in initial else None
    refusal = services.bulk_refusal(account_id) if account_id else ""
    if refusal in form.non_field_errors():
        refusal = ""  # the refused booking's error says it: once is enough
    return render(
        request,
        "solidwaste/order_new.html",
        {"page": page, "form": form, "bulk_refusal": refusal},
    )


@allow(Area.SOLIDWASTE, roles=ORDER_CLOSE_ROLES)
@require_POST
def order_complete(request, pk: int):
    order = get_object_or_404(Order, pk=pk)
    form = OrderCompleteForm(request.POST)
    if form.is_valid():
        try:
            services.order_complete(
                order_id=pk, completed_on=form.cleaned_data["completed_on"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{order.get_kind_display()} marked done.")
    else:
        messages.error(request, "Give the day the route did it (not after today).")
    return redirect("solidwaste:premise", order.premise_id)


@allow(Area.SOLIDWASTE, roles=ORDER_CLOSE_ROLES)
@require_POST
def order_cancel(request, pk: int):
    order = get_object_or_404(Order, pk=pk)
    form = OrderCancelForm(request.POST)
    if form.is_valid():
        try:
            services.order_cancel(order_id=pk, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"{order.get_kind_display()} cancelled: its {money_text(order.amount)} charge "
                "is reversed and will not be billed.",
            )
    else:
        messages.error(request, " ".join(form.errors.get("reason", ["Say why it is cancelled."])))
    return redirect("solidwaste:premise", order.premise_id)

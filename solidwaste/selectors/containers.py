"""Reading container services and one-time orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from accounts.models import Premise, ServiceAgreement
from billing.models import Bill
from solidwaste.models import Container, Order


def services_list():
    """Open solid-waste services with the containers on record at each."""
    return (
        ServiceAgreement.objects.filter(
            utility="solid_waste", status__in=ServiceAgreement.OPEN_STATUSES
        )
        .select_related("premise", "account")
        .annotate(
            on_record=Count("sw_containers", filter=Q(sw_containers__removed_on__isnull=True))
        )
        .order_by("premise__street_name", "premise__house_number", "rate_schedule")
    )


def order_billed_on(order: Order) -> date | None:
    """The date of the first issued bill that charged the order, or None.
    A bill shows the ledger its own entry was posted after (billing's
    ``_since_last_bill``): an entry posted before the bill's, dated on or
    before its bill date."""
    if order.entry_id is None:
        return None
    return (
        Bill.objects.filter(
            account_id=order.account_id,
            status=Bill.Status.ISSUED,
            entry_id__gt=order.entry_id,
            bill_on__gte=order.entry.effective_on,
        )
        .order_by("bill_on")
        .values_list("bill_on", flat=True)
        .first()
    )


def orders_list():
    """The dispatch list: every order by pickup date and route."""
    return Order.objects.select_related("route", "premise", "account", "ordered_by").order_by(
        "scheduled_on", "route__code", "premise__street_name", "premise__house_number", "pk"
    )


@dataclass(frozen=True)
class PremiseContainers:
    premise: Premise
    services: list[ServiceAgreement]
    current: list[Container]
    history: list[Container]
    orders: list[Order]


def open_services_at(premise: Premise):
    return (
        ServiceAgreement.objects.filter(
            premise=premise, utility="solid_waste", status__in=ServiceAgreement.OPEN_STATUSES
        )
        .select_related("account")
        .order_by("rate_schedule", "pk")
    )


def premise_containers(premise_id: int) -> PremiseContainers | None:
    premise = Premise.objects.filter(pk=premise_id).first()
    if premise is None:
        return None
    containers = list(
        Container.objects.filter(premise=premise).select_related("agreement", "agreement__account")
    )
    return PremiseContainers(
        premise=premise,
        services=list(open_services_at(premise)),
        current=[c for c in containers if c.is_current],
        history=[c for c in containers if not c.is_current],
        orders=list(orders_list().filter(premise=premise).order_by("-scheduled_on", "-pk")[:50]),
    )

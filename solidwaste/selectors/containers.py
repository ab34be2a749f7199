"""Reading container services and one-time orders."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from accounts.models import Premise, ServiceAgreement
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

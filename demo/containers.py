"""The demo's solid-waste containers (issue 15 item 9): the front-load bins
of commercial services (on SW3.1 or a special code made from it), as many as each service bills, and roll-off
containers at some of those businesses, delivered through the product's own
service (``container_deliver``) on the day each service started; and a
roll-off route per service area, so roll-off tickets can be dispatched.
Nothing is dated after the seed's day: a delivery is on its service's start.
Each roll-off gets a roll-off ticket booked on the seed's day through
``order_book`` (priced, charged and dispatched like any order), for a pull
with its disposal or a rental, picked up that day or in the next three."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

# Enough to show the inventory without slowing a 200,000-account seed.
MAX_SERVICES = 60
ROLL_OFF_EVERY = 8
AREAS = ("West", "Central", "Northeast", "Southeast")


def demo_containers(*, clerk, today: date) -> dict | None:
    """Bins and roll-offs at commercial premises; None when already made."""
    from django.db.models import Q

    from accounts.models import ServiceAgreement
    from billing.models import SpecialRateCode
    from solidwaste.models import Container, Route
    from solidwaste.services.containers import container_deliver, order_book

    if Container.objects.exists():
        return None
    Route.objects.bulk_create(
        [
            Route(
                code=f"RO-{101 + n}",
                name=f"{area} roll-off",
                service_line="roll_off",
                service_area=area,
                daily_lift_target=12,
            )  # fmt: skip
            for n, area in enumerate(AREAS)
        ],
        ignore_conflicts=True,
    )
    front_load = SpecialRateCode.objects.filter(based_on__code="SW3.1").values("schedule__code")
    services = ServiceAgreement.objects.filter(
        Q(rate_schedule="SW3.1") | Q(rate_schedule__in=front_load),
        utility="solid_waste",
        status__in=ServiceAgreement.OPEN_STATUSES,
        starts_on__lte=today,
    ).order_by("pk")[:MAX_SERVICES]
    bins = roll_offs = 0
    tickets = []
    for n, sa in enumerate(services):
        for _ in range(sa.containers or 1):
            container_deliver(
                agreement_id=sa.pk, kind="front_load", delivered_on=sa.starts_on, by=clerk
            )
            bins += 1
        if n % ROLL_OFF_EVERY == 0:
            container_deliver(
                agreement_id=sa.pk,
                kind="roll_off",
                size="30yd",
                delivered_on=sa.starts_on,
                by=clerk,
            )
            roll_offs += 1
            tickets.append(sa.pk)
    for n, agreement_id in enumerate(tickets):
        pull = n % 3 != 2
        order_book(
            agreement_id=agreement_id,
            kind="roll_off",
            scheduled_on=today + timedelta(days=n % 4),
            roll_off_size="30yd",
            pull=pull,
            tons=Decimal(f"{3 + n % 5}.{25 * (n % 4):02d}") if pull else None,
            rental_days=14 + 7 * (n % 3),
            notes="Demo roll-off ticket",
            by=clerk,
        )
    return {"bins": bins, "roll_offs": roll_offs, "tickets": len(tickets)}

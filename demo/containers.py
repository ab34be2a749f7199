"""The demo's solid-waste containers (issue 15 item 9): the front-load bins
of commercial services, as many as each service bills, and roll-off
containers at some of those businesses, delivered through the product's own
service (``container_deliver``) on the day each service started; and a
roll-off route per service area, so roll-off tickets can be dispatched.
Nothing is dated after the seed's day: a delivery is on its service's start.
One-time orders are booked in the browser (their date is today's)."""

from __future__ import annotations

from datetime import date

# Enough to show the inventory without slowing a 200,000-account seed.
MAX_SERVICES = 60
ROLL_OFF_EVERY = 8
AREAS = ("West", "Central", "Northeast", "Southeast")


def demo_containers(*, clerk, today: date) -> dict | None:
    """Bins and roll-offs at commercial premises; None when already made."""
    from accounts.models import ServiceAgreement
    from solidwaste.models import Container, Route
    from solidwaste.services.containers import container_deliver

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
    services = ServiceAgreement.objects.filter(
        utility="solid_waste",
        rate_schedule="SW3.1",
        status__in=ServiceAgreement.OPEN_STATUSES,
        starts_on__lte=today,
    ).order_by("pk")[:MAX_SERVICES]
    bins = roll_offs = 0
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
    return {"bins": bins, "roll_offs": roll_offs}

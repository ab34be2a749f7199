"""Writes on meter reads (billing validates them; field work and imports add them)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.models import MeterInstallation, MeterRead


@transaction.atomic
def meter_read_add(
    *,
    installation: MeterInstallation,
    read_on: date,
    register: Decimal,
    kind: str = MeterRead.Kind.ACTUAL,
    status: str = MeterRead.Status.ACCEPTED,
    source: str = "",
) -> MeterRead:
    read = MeterRead(
        installation=installation,
        read_on=read_on,
        register=register,
        kind=kind,
        status=status,
        source=source[:20],
    )
    read.full_clean(exclude=["installation"])
    read.save()
    return read


@transaction.atomic
def meter_read_set_status(*, read_id: int, status: str) -> MeterRead:
    read = MeterRead.objects.select_for_update().get(pk=read_id)
    read.status = status
    read.save(update_fields=["status"])
    return read


def register_usage(previous: Decimal, current: Decimal, dials: int) -> Decimal:
    """Usage between two register readings, with rollover: a register near the
    top of its dials followed by one near zero has rolled over; any other drop
    is a read error (ValueError)."""
    if current >= previous:
        return current - previous
    top = Decimal(10) ** dials
    if previous >= top * Decimal("0.9") and current < top * Decimal("0.1"):
        return current + top - previous
    raise ValueError(f"read {current} is lower than the previous {previous} and is not a rollover")

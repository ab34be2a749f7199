"""Writes on meter reads (billing validates them; field work and imports add them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import MeterInstallation, MeterRead


@dataclass(frozen=True)
class MeterReadSpec:
    """One read to record (see ``meter_read_add``)."""

    installation: MeterInstallation
    read_on: date
    register: Decimal
    kind: str = MeterRead.Kind.ACTUAL
    status: str = MeterRead.Status.ACCEPTED
    source: str = ""


def _read_checked(spec: MeterReadSpec) -> MeterRead:
    """The read as an unsaved row, refused (ValidationError) if it cannot be
    recorded. Reads no rows, so a batch is checked row by row for free."""
    read = MeterRead(
        installation=spec.installation,
        read_on=spec.read_on,
        register=spec.register,
        kind=spec.kind,
        status=spec.status,
        source=spec.source[:20],
    )
    read.clean_fields(exclude=["installation"])
    # The meterread_register_not_negative constraint, said before the insert.
    if read.register < 0:
        raise ValidationError({"register": "A register cannot be negative."})
    return read


def _key(read: MeterRead) -> tuple:
    return (read.installation_id, read.read_on, read.register, read.kind)


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
    read = _read_checked(
        MeterReadSpec(installation, read_on, register, kind=kind, status=status, source=source)
    )
    read.save()
    return read


@transaction.atomic
def meter_reads_add_many(reads: list[MeterReadSpec]) -> list[MeterRead]:
    """``meter_read_add`` for a batch (a bill run's estimated reads) in one
    insert, each read checked the same way. A batch may be retried, so a
    read already recorded (same meter installation, day, register and kind,
    and not replaced), or repeated in the batch, is recorded once: the
    result, following ``reads``, holds the read that stands for each."""
    rows = [_read_checked(spec) for spec in reads]
    if not rows:
        return []
    recorded = {
        _key(read): read
        for read in MeterRead.objects.filter(
            installation_id__in={row.installation_id for row in rows},
            read_on__in={row.read_on for row in rows},
        ).exclude(status=MeterRead.Status.REPLACED)
    }
    new: dict[tuple, MeterRead] = {}
    for row in rows:
        if _key(row) not in recorded:
            new.setdefault(_key(row), row)
    MeterRead.objects.bulk_create(new.values())
    recorded.update(new)
    return [recorded[_key(row)] for row in rows]


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

"""Meter reads: recording, validation (billing_rules.md "Validation"), the
exceptions people resolve, and the handheld/AMI import (docs/meter_reads.md)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import MeterInstallation, MeterRead, ServiceAgreement
from accounts.services import meter_read_add, meter_read_set_status
from staffing.models import Section
from staffing.services import work_item_close_for_source, work_item_open

from .bills import BillingException, register_usage

HIGH, LOW = Decimal(3), Decimal("0.25")


def read_check(installation: MeterInstallation, read_on: date, register: Decimal) -> str | None:
    """Why a new read must be held for review, or None when it can be billed."""
    meter = installation.meter
    previous = list(
        MeterRead.objects.filter(
            installation=installation,
            status=MeterRead.Status.ACCEPTED,
            read_on__lt=read_on,
            read_on__gte=read_on - timedelta(days=400),
        ).order_by("-read_on", "-pk")[:13]
    )
    last = previous[0] if previous else None
    start = last.register if last else installation.install_read
    start_on = last.read_on if last else installation.installed_on
    try:
        usage = register_usage(start, register, meter.dials)
    except BillingException as exc:
        return str(exc)
    days = max((read_on - start_on).days, 1)
    open_service = ServiceAgreement.objects.filter(
        service_point_id=installation.service_point_id, status=ServiceAgreement.Status.ACTIVE
    ).exists()
    if usage == 0 and open_service:
        return "zero usage on an active service"
    if len(previous) < 2:
        return None  # not enough history to judge
    span = (previous[0].read_on - previous[-1].read_on).days
    history = register_usage(previous[-1].register, previous[0].register, meter.dials)
    if span <= 0 or history <= 0:
        return None
    average = history / span
    daily = usage / days
    if daily > HIGH * average:
        return f"high read: {daily:.2f} a day against an average of {average:.2f}"
    if daily < LOW * average:
        return f"low read: {daily:.2f} a day against an average of {average:.2f}"
    return None


@transaction.atomic
def read_record(
    *, installation: MeterInstallation, read_on: date, register: Decimal, source: str
) -> MeterRead:
    """Record a read; one that fails validation is held and becomes a work item."""
    reason = read_check(installation, read_on, register)
    read = meter_read_add(
        installation=installation,
        read_on=read_on,
        register=register,
        source=source,
        status=MeterRead.Status.EXCEPTION if reason else MeterRead.Status.ACCEPTED,
    )
    if reason:
        account = (
            ServiceAgreement.objects.filter(service_point_id=installation.service_point_id)
            .order_by("-starts_on")
            .values_list("account", flat=True)
            .first()
        )
        _open_exception(read, account, reason)
    return read


def _open_exception(read: MeterRead, account_id, reason: str) -> None:
    from accounts.models import Account

    work_item_open(
        kind="read_exception",
        section=Section.ACCOUNT_MAINTENANCE,
        title=f"Meter {read.installation.meter.number} read {read.register} on {read.read_on}: {reason}"[
            :200
        ],
        account=Account.objects.filter(pk=account_id).first(),
        details=reason,
        due_on=read.read_on + timedelta(days=2),
        source_key=f"read:{read.pk}",
    )


def _held(read_id: int) -> MeterRead:
    read = MeterRead.objects.select_related("installation__meter").get(pk=read_id)
    if read.status != MeterRead.Status.EXCEPTION:
        raise ValidationError("This read is not held for review.")
    return read


def _close(read: MeterRead, by, outcome: str) -> None:
    work_item_close_for_source(
        kind="read_exception", source_key=f"read:{read.pk}", closed_by=by, outcome=outcome
    )


@transaction.atomic
def read_accept(*, read_id: int, by) -> MeterRead:
    read = _held(read_id)
    meter_read_set_status(read_id=read.pk, status=MeterRead.Status.ACCEPTED)
    _close(read, by, "Read accepted as read")
    return read


@transaction.atomic
def read_replace(*, read_id: int, register: Decimal, by) -> MeterRead:
    """Replace a held read with a corrected register (kept apart, not edited)."""
    read = _held(read_id)
    meter_read_set_status(read_id=read.pk, status=MeterRead.Status.REPLACED)
    replacement = meter_read_add(
        installation=read.installation, read_on=read.read_on, register=register, source="office"
    )
    _close(read, by, f"Replaced by read {register}")
    return replacement


@transaction.atomic
def read_order_reread(*, read_id: int, by) -> MeterRead:
    """The read stays held; the field crew's new read will replace it."""
    read = _held(read_id)
    _close(read, by, "Re-read ordered")
    work_item_open(
        kind="reread_order",
        section=Section.ACCOUNT_MAINTENANCE,
        title=f"Re-read meter {read.installation.meter.number} (read {read.register} on {read.read_on})",
        details="Ordered from the read exception queue.",
        opened_by=by,
        source_key=f"reread:{read.pk}",
    )
    return read


@dataclass
class ImportReport:
    read: int = 0
    accepted: int = 0
    held: int = 0
    duplicates: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "rows": self.read,
            "accepted": self.accepted,
            "held": self.held,
            "duplicates": self.duplicates,
            "errors": self.errors,
        }


HEADER = ["meter_number", "read_on", "register", "source"]


def reads_import(text: str) -> ImportReport:
    """Import a handheld/AMI file. A bad row is reported with its line and the
    rest is still read; a read already recorded is skipped, so importing the
    same file twice records nothing twice."""
    report = ImportReport()
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if header is None or [h.strip().lower() for h in header] != HEADER:
        report.errors.append({"line": 1, "reason": f"the header must be {','.join(HEADER)}"})
        return report
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        report.read += 1
        try:
            _import_row(row, report)
        except ValueError as exc:
            report.errors.append({"line": line, "reason": str(exc)})
    return report


def _import_row(row: list[str], report: ImportReport) -> None:
    if len(row) != 4:
        raise ValueError(f"expected 4 fields, found {len(row)}")
    number, read_on_text, register_text, source = (cell.strip() for cell in row)
    try:
        read_on = date.fromisoformat(read_on_text)
    except ValueError as exc:
        raise ValueError(f"read_on {read_on_text!r} is not a date YYYY-MM-DD") from exc
    try:
        register = Decimal(register_text)
    except InvalidOperation as exc:
        raise ValueError(f"register {register_text!r} is not a number") from exc
    if register < 0:
        raise ValueError("register cannot be negative")
    if source not in ("handheld", "ami"):
        raise ValueError(f"source {source!r} must be handheld or ami")
    installation = (
        MeterInstallation.objects.filter(meter__number=number.upper(), installed_on__lte=read_on)
        .select_related("meter")
        .order_by("-installed_on")
        .first()
    )
    if installation is None:
        raise ValueError(f"no meter {number} installed on {read_on}")
    if MeterRead.objects.filter(
        installation=installation, read_on=read_on, register=register
    ).exists():
        report.duplicates += 1
        return
    read = read_record(installation=installation, read_on=read_on, register=register, source=source)
    if read.status == MeterRead.Status.ACCEPTED:
        report.accepted += 1
    else:
        report.held += 1

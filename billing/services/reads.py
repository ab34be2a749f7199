"""Meter reads: recording, validation (docs/meter_reads.md, "Validation"), the
exceptions people resolve, and the handheld/AMI import (docs/meter_reads.md)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Account, FieldActivity, MeterInstallation, MeterRead, ServiceAgreement
from accounts.services import meter_read_add, meter_read_set_status
from accounts.services.field import field_activity_cancel, field_activity_order
from billing.models import ReadHold, ReadImport
from billing.services.bills import BillingException, register_usage
from mesa_cs.lib.dates import today
from mesa_cs.lib.imports import (
    CONTROL,
    bounded_decimal,
    control_character,
    csv_fields,
    database_refusal,
    file_lines,
    too_large,
)
from mesa_cs.lib.luhn import mask_card_numbers
from staffing.models import Section
from staffing.services import work_item_close_for_source, work_item_open

logger = logging.getLogger(__name__)

HIGH, LOW = Decimal(3), Decimal("0.25")
PROGRESS_EVERY = 500  # lines checked between two progress updates


def register_problem(register: Decimal) -> str:
    """Why a register cannot be recorded (MeterRead.register is 12 digits,
    2 places), or ""."""
    if register.is_finite() and register < 0:
        return "register cannot be negative"
    try:
        bounded_decimal(format(register, "f"), name="register")
    except ValueError as exc:
        return str(exc)
    return ""


def read_date_problem(read_on: date) -> str:
    """A read is of a day that has happened (today in Mesa)."""
    now = today()
    return f"read_on {read_on} is after today ({now})" if read_on > now else ""


REGISTER_UNITS = {"electric": "kWh", "gas": "CCF", "water": "kgal"}


@dataclass(frozen=True)
class ReadAssessment:
    """Why a read is held, and the figures that say so."""

    reason: str  # a ReadHold.Reason
    text: str
    previous_register: Decimal
    previous_on: date
    usage: Decimal | None  # None: the register went back
    days: int
    average_daily: Decimal | None  # None: fewer than two earlier reads


def read_assess(
    installation: MeterInstallation, read_on: date, register: Decimal
) -> ReadAssessment | None:
    """Why a new read must be held for review (docs/meter_reads.md,
    "Validation"), or None when it can be billed."""
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
    days = max((read_on - start_on).days, 1)
    average = None
    if len(previous) >= 2:
        span = (previous[0].read_on - previous[-1].read_on).days
        try:
            history = register_usage(previous[-1].register, previous[0].register, meter.dials)
        except BillingException:
            history = Decimal(0)
        if span > 0 and history > 0:
            average = history / span

    def held(reason: str, text: str, usage: Decimal | None) -> ReadAssessment:
        return ReadAssessment(reason, text, start, start_on, usage, days, average)

    try:
        usage = register_usage(start, register, meter.dials)
    except BillingException as exc:
        return held("rollover", str(exc), None)
    open_service = ServiceAgreement.objects.filter(
        service_point_id=installation.service_point_id, status=ServiceAgreement.Status.ACTIVE
    ).exists()
    if usage == 0 and open_service:
        return held("zero", "zero usage on an active service", usage)
    if average is None:
        return None  # not enough history to judge
    daily = usage / days
    if daily > HIGH * average:
        return held(
            "high", f"high read: {daily:.2f} a day against an average of {average:.2f}", usage
        )
    if daily < LOW * average:
        return held(
            "low", f"low read: {daily:.2f} a day against an average of {average:.2f}", usage
        )
    return None


def read_check(installation: MeterInstallation, read_on: date, register: Decimal) -> str | None:
    """Why a new read must be held for review, or None when it can be billed."""
    assessment = read_assess(installation, read_on, register)
    return assessment.text if assessment else None


@transaction.atomic
def read_record(
    *, installation: MeterInstallation, read_on: date, register: Decimal, source: str
) -> MeterRead:
    """Record a read; one that fails validation is held and becomes a work item.
    A read of a future day, or a register the column cannot hold, is refused."""
    refused = {
        name: problem
        for name, problem in (
            ("read_on", read_date_problem(read_on)),
            ("register", register_problem(register)),
        )
        if problem
    }
    if refused:
        raise ValidationError(refused)
    assessment = read_assess(installation, read_on, register)
    read = meter_read_add(
        installation=installation,
        read_on=read_on,
        register=register,
        source=source,
        status=MeterRead.Status.EXCEPTION if assessment else MeterRead.Status.ACCEPTED,
    )
    if assessment:
        account_id = (
            ServiceAgreement.objects.filter(service_point_id=installation.service_point_id)
            .order_by("-starts_on")
            .values_list("account", flat=True)
            .first()
        )
        ReadHold.objects.create(
            read=read,
            account_id=account_id,
            reason=assessment.reason,
            detail=assessment.text[:200],
            previous_register=assessment.previous_register,
            previous_on=assessment.previous_on,
            usage=assessment.usage,
            days=assessment.days,
            average_daily=assessment.average_daily,
        )
        _open_exception(read, account_id, assessment.text)
    return read


def _open_exception(read: MeterRead, account_id, reason: str) -> None:
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
    _reread_cancel(read, by, "the held read was accepted as read")
    return read


@transaction.atomic
def read_replace(*, read_id: int, register: Decimal, by) -> MeterRead:
    """Replace a held read with a corrected register (kept apart, not edited)."""
    if problem := register_problem(register):
        raise ValidationError({"register": problem})
    read = _held(read_id)
    meter_read_set_status(read_id=read.pk, status=MeterRead.Status.REPLACED)
    replacement = meter_read_add(
        installation=read.installation, read_on=read.read_on, register=register, source="office"
    )
    _close(read, by, f"Replaced by read {register}")
    _reread_cancel(read, by, f"the held read was replaced by {register}")
    return replacement


def _reread_cancel(read: MeterRead, by, why: str) -> None:
    """A held read decided in the office needs no crew: its pending re-read
    is cancelled, so it leaves the crew sheet."""
    hold = ReadHold.objects.filter(read=read, reread__status=FieldActivity.Status.PENDING).first()
    if hold is not None:
        field_activity_cancel(activity_id=hold.reread_id, reason=f"Not needed: {why}", by=by)


def next_working_day(after: date) -> date:
    """The first Monday-to-Friday day after ``after``: when a re-read is booked."""
    day = after + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@transaction.atomic
def read_order_reread(*, read_id: int, by) -> ReadHold:
    """Order a re-read of a held read: a field activity on the crew's list for
    the next working day, through accounts' own service. The read stays held,
    marked "re-read ordered", until the crew's read replaces it
    (``read_reread_done``). A second order while one stands is refused."""
    read = _held(read_id)
    hold = _hold_locked(read)
    if hold.reread_id and hold.reread.status != FieldActivity.Status.CANCELLED:
        raise ValidationError(
            f"A re-read of meter {read.installation.meter.number} is already ordered "
            f"for {hold.reread.scheduled_on:%m/%d/%Y} (field order {hold.reread_id})."
        )
    agreement = (
        ServiceAgreement.objects.filter(service_point_id=read.installation.service_point_id)
        .select_related("account", "premise", "service_point")
        .order_by("-starts_on", "-pk")
        .first()
    )
    if agreement is None:
        raise ValidationError("No account has service at this meter; a re-read cannot be ordered.")
    activity = field_activity_order(
        kind=FieldActivity.Kind.REREAD,
        account=agreement.account,
        premise=agreement.premise,
        service_point=agreement.service_point,
        agreement=agreement,
        scheduled_on=next_working_day(today()),
        notes=(
            f"Held read {read.register.normalize():f} on {read.read_on:%m/%d/%Y}"
            + (f" ({hold.get_reason_display().lower()})" if hold.reason else "")
            + f"; meter {read.installation.meter.number}."
        ),
        ordered_by=by,
        source_key=f"held-read:{read.pk}",
    )
    hold.reread, hold.reread_ordered_by, hold.reread_ordered_at = activity, by, timezone.now()
    hold.save(update_fields=["reread", "reread_ordered_by", "reread_ordered_at"])
    _close(read, by, f"Re-read ordered for {activity.scheduled_on:%m/%d/%Y}")
    return hold


def _hold_locked(read: MeterRead) -> ReadHold:
    """The read's hold, locked; a read held before holds were recorded gets
    one now, with the figures but no reason."""
    hold = (
        ReadHold.objects.select_for_update(of=("self",))
        .select_related("reread")
        .filter(read=read)
        .first()
    )
    if hold is not None:
        return hold
    last = (
        MeterRead.objects.filter(
            installation=read.installation,
            status=MeterRead.Status.ACCEPTED,
            read_on__lt=read.read_on,
        )
        .order_by("-read_on", "-pk")
        .first()
    )
    previous_on = last.read_on if last else read.installation.installed_on
    return ReadHold.objects.create(
        read=read,
        reason="",
        detail="Held before reasons were recorded",
        previous_register=last.register if last else read.installation.install_read,
        previous_on=previous_on,
        days=max((read.read_on - previous_on).days, 1),
    )


@transaction.atomic
def read_reread_done(*, activity_id: int, by=None) -> ReadHold | None:
    """A re-read ordered from the held reads came back: the crew's read
    replaces the held one (kept, marked replaced). Harmless to run twice."""
    hold = (
        ReadHold.objects.select_for_update(of=("self",))
        .select_related("read", "reread")
        .filter(reread_id=activity_id)
        .first()
    )
    if hold is None or hold.reread.status != FieldActivity.Status.COMPLETED:
        return None
    if hold.read.status == MeterRead.Status.EXCEPTION:
        meter_read_set_status(read_id=hold.read_id, status=MeterRead.Status.REPLACED)
        _close(hold.read, by, f"Replaced by the re-read {hold.reread.read.register.normalize():f}")
    return hold


@dataclass
class ImportReport:
    read: int = 0
    accepted: int = 0
    held: int = 0
    duplicates: int = 0
    errors: list[dict] = field(default_factory=list)
    working_line: int = 1  # the line being saved, to name it if the database refuses it

    def as_dict(self) -> dict:
        return {
            "rows": self.read,
            "accepted": self.accepted,
            "held": self.held,
            "duplicates": self.duplicates,
            "errors": self.errors,
        }


@dataclass(frozen=True)
class _Row:
    line: int
    installation: MeterInstallation
    read_on: date
    register: Decimal
    source: str


HEADER = ["meter_number", "read_on", "register", "source"]


def reads_import(text: str) -> ImportReport:
    """Import a handheld/AMI file, all or nothing: every line is checked
    first, and a file with any bad line records nothing (the report names
    each bad line and why). A read already recorded is skipped, so importing
    the same file twice records nothing twice."""
    report, rows = reads_check(text)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            _reads_save(rows, report)
    except (DatabaseError, ValueError, ValidationError) as exc:
        _refused(report, exc)
    return report


def reads_check(text: str, progress=None) -> tuple[ImportReport, list[_Row]]:
    """Check every line of a read file without saving anything.
    ``progress(checked, total)``, when given, is told how far the check is."""
    report, rows = ImportReport(), []
    lines = file_lines(text)
    try:
        header = csv_fields(lines[0]) if lines else None
    except ValueError:
        header = None
    if header is None or [h.strip().lower() for h in header] != HEADER:
        report.errors.append({"line": 1, "reason": f"the header must be {','.join(HEADER)}"})
        return report, rows
    for line, raw in enumerate(lines[1:], start=2):
        if progress and line % PROGRESS_EVERY == 0:
            progress(line - 1, len(lines))
        try:
            if bad := control_character(raw):
                raise ValueError(bad)
            row = csv_fields(raw)
            if not any(cell.strip() for cell in row):
                continue
            rows.append(_check_row(line, row))
        except ValueError as exc:
            # Reasons quote what the line says, and they are stored and shown.
            report.errors.append({"line": line, "reason": mask_card_numbers(str(exc))})
        report.read += 1
    if progress:
        progress(len(lines), len(lines))
    return report, rows


def _check_row(line: int, row: list[str]) -> _Row:
    if len(row) != 4:
        raise ValueError(f"expected 4 fields, found {len(row)}")
    number, read_on_text, register_text, source = (cell.strip() for cell in row)
    try:
        read_on = date.fromisoformat(read_on_text)
    except ValueError as exc:
        raise ValueError(f"read_on {read_on_text[:40]!r} is not a date YYYY-MM-DD") from exc
    if problem := read_date_problem(read_on):
        raise ValueError(problem)
    if register_text.startswith("-"):
        raise ValueError("register cannot be negative")
    register = bounded_decimal(register_text, name="register")
    if source not in ("handheld", "ami"):
        raise ValueError(f"source {source[:40]!r} must be handheld or ami")
    installation = (
        MeterInstallation.objects.filter(meter__number=number.upper(), installed_on__lte=read_on)
        .select_related("meter")
        .order_by("-installed_on")
        .first()
    )
    if installation is None:
        raise ValueError(f"no meter {number[:40]} installed on {read_on}")
    return _Row(line, installation, read_on, register, source)


def _reads_save(rows: list[_Row], report: ImportReport) -> None:
    """Save checked rows; the caller holds the transaction."""
    for row in rows:
        report.working_line = row.line
        if MeterRead.objects.filter(
            installation=row.installation, read_on=row.read_on, register=row.register
        ).exists():
            report.duplicates += 1
            continue
        read = read_record(
            installation=row.installation,
            read_on=row.read_on,
            register=row.register,
            source=row.source,
        )
        if read.status == MeterRead.Status.ACCEPTED:
            report.accepted += 1
        else:
            report.held += 1


def _refused(report: ImportReport, exc: Exception) -> None:
    """The transaction rolled back: nothing of the file is saved."""
    logger.exception("read import refused at line %s", report.working_line)
    said = "; ".join(exc.messages) if isinstance(exc, ValidationError) else database_refusal(exc)
    report.accepted = report.held = report.duplicates = 0
    report.errors = [
        {
            "line": report.working_line,
            "reason": mask_card_numbers(f"nothing was saved: this line was refused ({said})"),
        }
    ]


def read_import_receive(*, content: bytes, name: str, imported_by=None) -> ReadImport:
    """Keep the file as received, outside any transaction, waiting to be imported."""
    name = CONTROL.sub("", name).rsplit("/", 1)[-1]
    stored = default_storage.save(
        ReadImport.original.field.generate_filename(None, name or "reads.csv"),
        ContentFile(content),
    )
    return ReadImport.objects.create(
        original=stored, original_name=name[:200], imported_by=imported_by
    )


def read_import_process(*, import_id: int) -> ReadImport:
    """Import a received read file (what the Celery task calls). Safe to run
    twice: a finished import is left as it is, the save re-checks that under
    the import's row lock, and a read already recorded is skipped."""
    kept = ReadImport.objects.get(pk=import_id)
    if kept.is_finished:
        return kept
    ReadImport.objects.filter(pk=kept.pk, status=ReadImport.Status.PENDING).update(
        status=ReadImport.Status.RUNNING
    )
    with kept.original.open("rb") as original:
        content = original.read()
    report, rows = ImportReport(), []
    if reason := too_large(len(content)):
        report.errors = [{"line": 1, "reason": reason}]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = content[: exc.start].count(b"\n") + 1
            report.errors = [{"line": line, "reason": "the file is not UTF-8 text"}]
        else:
            report, rows = reads_check(text, progress=_progress(kept.pk))
    if not report.errors:
        try:
            with transaction.atomic():
                if _lock_unfinished(kept.pk) is None:
                    return ReadImport.objects.get(pk=kept.pk)
                _reads_save(rows, report)
                _finish(kept.pk, report)
            return ReadImport.objects.get(pk=kept.pk)
        except (DatabaseError, ValueError, ValidationError) as exc:
            _refused(report, exc)
    with transaction.atomic():
        if _lock_unfinished(kept.pk) is not None:
            _finish(kept.pk, report)
    return ReadImport.objects.get(pk=kept.pk)


def read_import_abandon(*, import_id: int, why: str) -> None:
    """An import whose task failed or ran out of time: its save rolled back,
    so it is rejected with the reason, never left running with no summary."""
    report = ImportReport()
    report.errors = [
        {"line": 1, "reason": f"the import stopped ({why}); nothing was saved: import it again"}
    ]
    with transaction.atomic():
        if _lock_unfinished(import_id) is not None:
            _finish(import_id, report)


def _lock_unfinished(pk: int) -> ReadImport | None:
    kept = ReadImport.objects.select_for_update().get(pk=pk)
    return None if kept.is_finished else kept


def _finish(pk: int, report: ImportReport) -> None:
    ReadImport.objects.filter(pk=pk).update(
        status=ReadImport.Status.REJECTED if report.errors else ReadImport.Status.IMPORTED,
        summary=report.as_dict(),
        lines_checked=F("lines_total"),
    )


def _progress(pk: int):
    def record(checked: int, total: int) -> None:
        ReadImport.objects.filter(pk=pk).update(lines_checked=checked, lines_total=total)

    return record

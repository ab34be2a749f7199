"""Field activities: ordered at the office, completed from the crew's sheet.
Completion records the reads billing uses and moves the service's status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import (
    Account,
    FieldActivity,
    Meter,
    MeterInstallation,
    MeterRead,
    Premise,
    ServiceAgreement,
    ServicePoint,
)
from accounts.panels import completion_checks
from accounts.services.meters import meter_read_add, register_usage
from accounts.signals import field_activity_completed, services_ended
from mesa_cs.lib.dates import refuse_future, today
from mesa_cs.lib.formatting import staff_name
from mesa_cs.lib.luhn import reject_card_numbers

Kind = FieldActivity.Kind
READ_KINDS = {
    Kind.CONNECT,
    Kind.DISCONNECT,
    Kind.RECONNECT,
    Kind.FINAL_READ,
    Kind.READ,
    Kind.REREAD,
}
STATUS_AFTER = {
    Kind.CONNECT: ServiceAgreement.Status.ACTIVE,
    Kind.RECONNECT: ServiceAgreement.Status.ACTIVE,
    Kind.DISCONNECT: ServiceAgreement.Status.DISCONNECTED,
    Kind.FINAL_READ: ServiceAgreement.Status.FINAL,
}


@dataclass(frozen=True)
class FieldActivitySpec:
    """One order for field work (see ``field_activity_order``)."""

    kind: str
    account: Account
    premise: Premise
    scheduled_on: date
    service_point: ServicePoint | None = None
    agreement: ServiceAgreement | None = None
    same_day: bool = False
    notes: str = ""
    source_key: str = ""


def _activity_checked(spec: FieldActivitySpec, ordered_by) -> FieldActivity:
    """The order as an unsaved row, refused (ValidationError) if it may not
    be placed. Reads no rows, so a batch is checked row by row for free."""
    reject_card_numbers(notes=spec.notes)
    if spec.kind in READ_KINDS | {Kind.METER_EXCHANGE, Kind.METER_TEST} and (
        spec.service_point is None
    ):
        raise ValidationError(
            {"service_point": "This work needs the service point (the meter's place)."}
        )
    activity = FieldActivity(
        kind=spec.kind,
        account=spec.account,
        premise=spec.premise,
        service_point=spec.service_point,
        agreement=spec.agreement,
        scheduled_on=spec.scheduled_on,
        same_day=spec.same_day,
        area=spec.premise.service_area,
        notes=spec.notes.strip(),
        ordered_by=ordered_by,
        source_key=spec.source_key,
    )
    activity.clean_fields(
        exclude=["account", "premise", "service_point", "agreement", "ordered_by"]
    )
    return activity


def _pending(keys: set[tuple[str, str]]) -> dict[tuple[str, str], FieldActivity]:
    """The pending orders with these (kind, source key)s."""
    if not keys:
        return {}
    # Worded as the one-pending-per-source index is, so it is used.
    found = FieldActivity.objects.filter(
        kind__in={kind for kind, _ in keys},
        source_key__in={source_key for _, source_key in keys},
        status=FieldActivity.Status.PENDING,
    ).exclude(source_key="")
    return {(a.kind, a.source_key): a for a in found if (a.kind, a.source_key) in keys}


@transaction.atomic
def field_activity_order(
    *,
    kind: str,
    account: Account,
    premise: Premise,
    scheduled_on: date,
    service_point: ServicePoint | None = None,
    agreement: ServiceAgreement | None = None,
    same_day: bool = False,
    notes: str = "",
    ordered_by=None,
    source_key: str = "",
) -> FieldActivity:
    """Order field work. With ``source_key``, ordering the same work again
    while it is pending returns the pending order."""
    spec = FieldActivitySpec(
        kind=kind,
        account=account,
        premise=premise,
        scheduled_on=scheduled_on,
        service_point=service_point,
        agreement=agreement,
        same_day=same_day,
        notes=notes,
        source_key=source_key,
    )
    activity = _activity_checked(spec, ordered_by)
    if source_key:
        pending = _pending({(kind, source_key)}).get((kind, source_key))
        if pending is not None:
            return pending
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        return FieldActivity.objects.get(
            kind=kind, source_key=source_key, status=FieldActivity.Status.PENDING
        )
    return activity


@transaction.atomic
def field_activities_order_many(
    *, orders: list[FieldActivitySpec], ordered_by=None
) -> list[FieldActivity]:
    """``field_activity_order`` for a batch (the collection run's door hangers
    and disconnects) in a few statements: each order is checked the same
    way, and one whose (kind, source key) is pending already, or repeats one
    earlier in the batch, is not placed again; the pending order stands in
    for it in the result, which follows ``orders``. Orders racing in from
    elsewhere are skipped by the database (the one-pending-per-source
    constraint) and read back."""
    rows = [_activity_checked(spec, ordered_by) for spec in orders]
    keys = {(row.kind, row.source_key) for row in rows if row.source_key}
    pending = _pending(keys)
    new_keyed: dict[tuple[str, str], FieldActivity] = {}
    unkeyed = []
    for row in rows:
        key = (row.kind, row.source_key)
        if not row.source_key:
            unkeyed.append(row)
        elif key not in pending and key not in new_keyed:
            new_keyed[key] = row
    FieldActivity.objects.bulk_create(unkeyed)
    if new_keyed:
        FieldActivity.objects.bulk_create(new_keyed.values(), ignore_conflicts=True)
        pending.update(_pending(set(new_keyed)))
    return [row if not row.source_key else pending[(row.kind, row.source_key)] for row in rows]


# The work a clerk orders from the account page; connects, disconnects,
# reconnects and final reads come from the start, stop and collection flows.
CLERK_KINDS = (
    Kind.READ,
    Kind.REREAD,
    Kind.METER_TEST,
    Kind.METER_EXCHANGE,
    Kind.HIGH_BILL,
    Kind.DOOR_HANGER,
)
METER_KINDS = {Kind.READ, Kind.REREAD, Kind.METER_TEST, Kind.METER_EXCHANGE}


@transaction.atomic
def field_work_request(
    *,
    account: Account,
    agreement: ServiceAgreement,
    kind: str,
    scheduled_on: date,
    same_day: bool = False,
    notes: str = "",
    ordered_by=None,
    request_key: str = "",
) -> FieldActivity:
    """A clerk's order for field work on one of the account's services.
    Refused, with the reason, for work the flows order themselves, meter work
    where there is no meter, a date in the past, or the same work already
    pending there. ``request_key`` (the form's) makes a second submit return
    the first order."""
    reject_card_numbers(notes=notes)
    if kind not in CLERK_KINDS:
        raise ValidationError(
            {"kind": "That work is ordered by its own flow (start, stop or collections)."}
        )
    if agreement.account_id != account.pk or not agreement.is_open:
        raise ValidationError({"agreement": "Choose a service that is open on this account."})
    if scheduled_on < timezone.localdate():
        raise ValidationError({"scheduled_on": "Field work cannot be scheduled in the past."})
    if kind in METER_KINDS and (
        agreement.service_point_id is None
        or not MeterInstallation.objects.filter(
            service_point_id=agreement.service_point_id, removed_on__isnull=True
        ).exists()
    ):
        raise ValidationError(
            {
                "agreement": f"No meter is installed for this {agreement.get_utility_display().lower()} service."
            }
        )
    source_key = f"clerk:{request_key}" if request_key else ""
    if source_key and FieldActivity.objects.filter(source_key=source_key).exists():
        return FieldActivity.objects.get(source_key=source_key)
    # Locks the account so two clerks cannot order the same work at once.
    Account.objects.select_for_update().get(pk=account.pk)
    pending = FieldActivity.objects.filter(
        kind=kind,
        premise_id=agreement.premise_id,
        status=FieldActivity.Status.PENDING,
        service_point_id=agreement.service_point_id,
    ).first()
    if pending is not None:
        raise ValidationError(
            f"A {pending.get_kind_display().lower()} is already ordered here for "
            f"{pending.scheduled_on:%m/%d/%Y}."
        )
    return field_activity_order(
        kind=kind,
        account=account,
        premise=agreement.premise,
        agreement=agreement,
        service_point=agreement.service_point,
        scheduled_on=scheduled_on,
        same_day=same_day,
        notes=notes,
        ordered_by=ordered_by,
        source_key=source_key,
    )


def _current_installation(service_point: ServicePoint) -> MeterInstallation:
    installation = (
        MeterInstallation.objects.filter(service_point=service_point, removed_on__isnull=True)
        .select_related("meter")
        .first()
    )
    if installation is None:
        raise ValidationError({"register": "No meter is installed at this service point."})
    return installation


def _checked_read(
    installation: MeterInstallation, read_on: date, register: Decimal, kind=MeterRead.Kind.ACTUAL
) -> MeterRead:
    last = (
        MeterRead.objects.filter(
            installation=installation, status=MeterRead.Status.ACCEPTED, read_on__lte=read_on
        )
        .order_by("-read_on", "-pk")
        .first()
    )
    previous = last.register if last else installation.install_read
    try:
        register_usage(previous, register, installation.meter.dials)
    except ValueError as exc:
        raise ValidationError({"register": str(exc).capitalize() + "."}) from exc
    return meter_read_add(
        installation=installation, read_on=read_on, register=register, source="field", kind=kind
    )


@transaction.atomic
def field_activity_complete(
    *,
    activity_id: int,
    completed_by,
    completed_on: date | None = None,
    register: Decimal | None = None,
    notes: str = "",
    outcome: str = "",
    new_meter: Meter | None = None,
    new_register: Decimal | None = None,
    meter_error_percent: Decimal | None = None,
) -> FieldActivity:
    """Record what the crew did. Reads are checked against the last one (a
    drop that is not a rollover is refused); connects, disconnects,
    reconnects and final reads move the service agreement's status; a meter
    exchange records both registers."""
    reject_card_numbers(notes=notes, outcome=outcome)
    activity = (
        FieldActivity.objects.select_for_update(of=("self",))
        .select_related("service_point", "agreement")
        .get(pk=activity_id)
    )
    if activity.status != FieldActivity.Status.PENDING:
        raise ValidationError("This field activity is no longer pending.")
    completed_on = completed_on or today()
    refuse_future("completed_on", completed_on, "Done on")
    for check in completion_checks(activity.kind):
        reason = check(activity, completed_on)
        if reason:
            raise ValidationError(
                f"This {activity.get_kind_display().lower()} may not be done: {reason}. "
                "Cancel the order instead."
            )
    if activity.kind in READ_KINDS:
        if register is None:
            raise ValidationError({"register": "Enter the register the crew read."})
        activity.read = _checked_read(
            _current_installation(activity.service_point), completed_on, register
        )
        if activity.kind == Kind.FINAL_READ:
            MeterRead.objects.filter(pk=activity.read.pk).update(kind=MeterRead.Kind.FINAL)
    elif activity.kind == Kind.METER_EXCHANGE:
        _exchange(activity, completed_on, register, new_meter, new_register)
    elif activity.kind == Kind.METER_TEST:
        if meter_error_percent is None:
            raise ValidationError(
                {
                    "meter_error_percent": "Record the test's error in %: 0 if accurate, "
                    "positive if the meter runs fast, negative if slow."
                }
            )
        activity.meter_error_percent = meter_error_percent
        outcome = outcome.strip() or _test_outcome(meter_error_percent)
    if activity.agreement_id and activity.kind in STATUS_AFTER:
        agreement = ServiceAgreement.objects.select_for_update().get(pk=activity.agreement_id)
        agreement.status = STATUS_AFTER[activity.kind]
        if activity.kind == Kind.FINAL_READ:
            agreement.ends_on = completed_on
        agreement.save(update_fields=["status", "ends_on"])
    activity.status = FieldActivity.Status.COMPLETED
    activity.completed_on, activity.completed_by = completed_on, completed_by
    activity.completion_notes, activity.outcome = notes.strip(), outcome.strip()
    activity.save()
    field_activity_completed.send(
        sender=FieldActivity,
        activity_id=activity.pk,
        user_id=completed_by.pk if completed_by else None,
    )
    if activity.kind == Kind.FINAL_READ:
        services_ended_check(activity.account, by=completed_by)
    return activity


def _test_outcome(error: Decimal) -> str:
    if error == 0:
        return "Accurate"
    return f"{abs(error)}% {'fast' if error > 0 else 'slow'}"


def services_ended_check(account: Account, *, by=None) -> bool:
    """Tell the section apps when nothing is open on the account any more
    and something awaits its final bill."""
    agreements = ServiceAgreement.objects.filter(account=account)
    if agreements.filter(status__in=ServiceAgreement.OPEN_STATUSES).exists():
        return False
    if not agreements.filter(status=ServiceAgreement.Status.FINAL).exists():
        return False
    services_ended.send(
        sender=ServiceAgreement, account_id=account.pk, user_id=by.pk if by else None
    )
    return True


def _exchange(activity, on, old_register, new_meter, new_register) -> None:
    if old_register is None or new_meter is None or new_register is None:
        raise ValidationError(
            "A meter exchange needs the old meter's last register, the new meter and its register."
        )
    old = _current_installation(activity.service_point)
    activity.removal_read = _checked_read(old, on, old_register, MeterRead.Kind.REMOVE)
    MeterInstallation.objects.filter(pk=old.pk).update(removed_on=on, remove_read=old_register)
    Meter.objects.filter(pk=old.meter_id).update(status=Meter.Status.REMOVED)
    installation = MeterInstallation.objects.create(
        meter=new_meter,
        service_point=activity.service_point,
        installed_on=on,
        install_read=new_register,
    )
    Meter.objects.filter(pk=new_meter.pk).update(status=Meter.Status.INSTALLED)
    activity.read = meter_read_add(
        installation=installation,
        read_on=on,
        register=new_register,
        source="field",
        kind=MeterRead.Kind.INSTALL,
    )


@transaction.atomic
def field_activity_cancel(*, activity_id: int, reason: str, by) -> FieldActivity:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the order is cancelled."})
    reject_card_numbers(reason=reason)
    activity = FieldActivity.objects.select_for_update().get(pk=activity_id)
    if activity.status != FieldActivity.Status.PENDING:
        raise ValidationError("Only a pending order can be cancelled.")
    activity.status = FieldActivity.Status.CANCELLED
    activity.completion_notes = f"Cancelled by {staff_name(by) or 'the system'}: {reason.strip()}"
    activity.save(update_fields=["status", "completion_notes"])
    return activity

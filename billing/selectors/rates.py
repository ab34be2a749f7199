"""Reads of the rate book for the rate editor (docs/rate_editor.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, OuterRef, Q, Subquery

from accounts.models import Utility
from billing.models import Bill, BillLine, BillSegment, RateBookMeta, RateSchedule, RateVersion
from mesa_cs.lib.dates import today
from mesa_cs.lib.roles import LEADS, Role, user_roles

IN_FORCE = RateVersion.Status.IN_FORCE
DRAFT = RateVersion.Status.DRAFT

# Who edits which schedules: Account Maintenance & Billing and the leads
# every schedule, EMS solid waste only (its section sets those rates).
EVERY_SCHEDULE = frozenset({Role.BILLING, *LEADS})
SOLID_WASTE_ONLY = frozenset({Role.EMS})


def last_billed_day(schedule_code: str) -> date | None:
    """The last service day an issued bill on this schedule covers (its
    segments' read dates), or None when nothing on it was billed yet."""
    return BillSegment.objects.filter(
        rate_schedule=schedule_code, bill__status=Bill.Status.ISSUED
    ).aggregate(last=Max("end"))["last"]


def is_frozen(version: RateVersion, *, has_lines: bool, last_billed: date | None) -> bool:
    """The rule of version_is_billed, given what it reads (so a page of
    versions reads it once)."""
    if version.status == RateVersion.Status.DRAFT:
        return False
    return has_lines or (last_billed is not None and last_billed >= version.effective)


def user_may_edit_schedule(user, schedule: RateSchedule) -> bool:
    roles = user_roles(user)
    if roles & EVERY_SCHEDULE:
        return True
    return bool(roles & SOLID_WASTE_ONLY) and schedule.utility == Utility.SOLID_WASTE


def rate_schedules_list():
    """Every schedule with the version in force today, the latest in force
    (a later one may be waiting for its date) and the draft, if any."""
    on = today()
    versions = RateVersion.objects.filter(schedule=OuterRef("pk")).order_by("-effective")
    return RateSchedule.objects.annotate(
        in_force_since=Subquery(
            versions.filter(status=IN_FORCE, effective__lte=on).values("effective")[:1]
        ),
        latest_effective=Max("versions__effective", filter=Q(versions__status=IN_FORCE)),
        draft_effective=Subquery(versions.filter(status=DRAFT).values("effective")[:1]),
    ).order_by("code")


def schedule_by_code(code: str) -> RateSchedule | None:
    return RateSchedule.objects.filter(code=code).first()


def schedules_by_codes(codes: list[str]) -> list[RateSchedule]:
    return list(RateSchedule.objects.filter(code__in=codes))


def current_version(schedule: RateSchedule) -> RateVersion | None:
    """The version a new one starts from: the latest in force."""
    return (
        RateVersion.objects.filter(schedule=schedule, status=IN_FORCE)
        .order_by("-effective")
        .first()
    )


def draft_of(schedule: RateSchedule) -> RateVersion | None:
    return RateVersion.objects.filter(schedule=schedule, status=DRAFT).first()


@dataclass(frozen=True)
class VersionRow:
    version: RateVersion
    locked: bool
    in_force_today: bool
    until: date | None  # the day before the next version in force


def schedule_versions(schedule: RateSchedule) -> list[VersionRow]:
    """The schedule's versions, newest first, each with whether it priced an
    issued bill (then it is locked) and the days it is in force."""
    last = last_billed_day(schedule.code)
    with_lines = set(
        BillLine.objects.filter(rate_version__schedule=schedule)
        .values_list("rate_version_id", flat=True)
        .distinct()
    )
    rows = list(schedule.versions.select_related("created_by", "put_in_force_by"))
    in_force = [v for v in rows if v.status == IN_FORCE]
    on = today()
    current = max(
        (v for v in in_force if v.effective <= on), key=lambda v: v.effective, default=None
    )
    result = []
    for version in sorted(rows, key=lambda v: v.effective, reverse=True):
        later = [v.effective for v in in_force if v.effective > version.effective]
        result.append(
            VersionRow(
                version=version,
                locked=is_frozen(version, has_lines=version.pk in with_lines, last_billed=last),
                in_force_today=version == current,
                until=min(later) - timedelta(days=1)
                if later and version.status == IN_FORCE
                else None,
            )
        )
    return result


def version_page(pk: int) -> RateVersion | None:
    return (
        RateVersion.objects.select_related("schedule", "created_by", "put_in_force_by")
        .filter(pk=pk)
        .first()
    )


def meter_sizes() -> list[str]:
    meta = RateBookMeta.objects.first()
    return list(meta.meter_sizes) if meta else []


def seasons() -> list[str]:
    meta = RateBookMeta.objects.first()
    return list(meta.seasons) if meta else []


def suggested_effective(schedule: RateSchedule) -> date:
    """The first of a month on which a new version may start: after today,
    the latest version in force and the last day billed."""
    earliest = today() + timedelta(days=1)
    latest = current_version(schedule)
    if latest is not None:
        earliest = max(earliest, latest.effective + timedelta(days=1))
    billed = last_billed_day(schedule.code)
    if billed is not None:
        earliest = max(earliest, billed + timedelta(days=1))
    if earliest.day == 1:
        return earliest
    return (earliest.replace(day=1) + timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class ComponentRow:
    name: str
    kind: str
    spec: dict


def component_rows(version: RateVersion, type_labels: dict) -> list[ComponentRow]:
    """A version's components for its page: price tables in the rate book's
    order (the database keeps a mapping's keys in an order of its own)."""
    order = {size: n for n, size in enumerate(meter_sizes())}
    rows = []
    for component in version.components.order_by("position"):
        spec = dict(component.spec)
        for key in ("by_meter_size", "by_service"):
            if spec.get(key):
                table = spec[key]
                spec[key] = {
                    k: table[k] for k in sorted(table, key=lambda k: (order.get(k, len(order)), k))
                }
        rows.append(ComponentRow(component.name, type_labels.get(component.type, ""), spec))
    return rows

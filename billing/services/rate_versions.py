"""The rate editor's writes: start a draft version from the current one, save
its components, put it in force, or discard it (docs/rate_editor.md).

Components are stored as their mesa-ratebook/1 mappings, exactly as
``load_rates`` stores them (each is parsed by the same parser and written
back with ``component_spec``), so ``export_rates`` writes what was entered
and the engine reads it unchanged.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from billing.models import RateBookMeta, RateComponent, RateSchedule, RateVersion
from billing.rules.ratebook import Component, RateBookError, component_spec, parse_component_spec
from billing.selectors.rates import last_billed_day, user_may_edit_schedule
from billing.services.rates import version_is_billed
from mesa_cs.lib.dates import today
from mesa_cs.lib.formatting import day_text
from mesa_cs.lib.luhn import reject_card_numbers

IN_FORCE = RateVersion.Status.IN_FORCE
DRAFT = RateVersion.Status.DRAFT

# How far ahead a version may be dated: a rate change is adopted months, not
# years, before it takes effect; a date further out is a typing slip.
MAX_DAYS_AHEAD = 3 * 366
MAX_COMPONENTS = 30


def _refuse_unless_editor(by, schedule: RateSchedule) -> None:
    if not user_may_edit_schedule(by, schedule):
        raise PermissionDenied(f"You may not change the rates of {schedule.code}.")


def check_effective(schedule: RateSchedule, effective: date | None, *, draft=None) -> None:
    """A new version starts after the latest version in force and after the
    last day an issued bill on the schedule covers, so it re-prices nothing
    already billed."""
    if effective is None:
        raise ValidationError({"effective": "Give the date the new rates take effect."})
    versions = RateVersion.objects.filter(schedule=schedule, status=IN_FORCE)
    if draft is not None:
        versions = versions.exclude(pk=draft.pk)
    latest = versions.order_by("-effective").values_list("effective", flat=True).first()
    if latest is not None and effective <= latest:
        raise ValidationError(
            {
                "effective": f"The effective date must be after {day_text(latest)}, when the "
                f"version now in force took effect."
            }
        )
    billed = last_billed_day(schedule.code)
    if billed is not None and effective <= billed:
        raise ValidationError(
            {
                "effective": f"Issued bills on {schedule.code} cover service through "
                f"{day_text(billed)}; the new rates must take effect after that."
            }
        )
    refuse_far_ahead(effective)


def refuse_far_ahead(effective: date) -> None:
    if effective > today() + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            {"effective": "The effective date is more than three years ahead; check the year."}
        )


@transaction.atomic
def rate_version_start(*, schedule_code: str, effective: date, by) -> RateVersion:
    """A draft copy of the schedule's latest version in force, dated
    ``effective``. Starting the same draft twice returns it."""
    schedule = RateSchedule.objects.select_for_update().filter(code=schedule_code).first()
    if schedule is None:
        raise ValidationError({"schedule": f"There is no rate schedule {schedule_code}."})
    _refuse_unless_editor(by, schedule)
    draft = RateVersion.objects.filter(schedule=schedule, status=DRAFT).first()
    if draft is not None:
        if draft.effective == effective:
            return draft
        raise ValidationError(
            {
                "effective": f"{schedule.code} already has a draft from "
                f"{day_text(draft.effective)}: finish or discard it first."
            }
        )
    check_effective(schedule, effective)
    base = RateVersion.objects.filter(schedule=schedule, status=IN_FORCE).order_by("-effective")
    return draft_copy(schedule=schedule, base=base.first(), effective=effective, by=by)


def draft_copy(*, schedule: RateSchedule, base: RateVersion | None, effective: date, by):
    """A draft of ``schedule`` dated ``effective`` holding a copy of
    ``base``'s components (``base`` may be another schedule's version: a
    special rate code starts from its base schedule's)."""
    version = RateVersion.objects.create(
        schedule=schedule, effective=effective, status=DRAFT, started_from=base, created_by=by
    )
    if base is not None:
        RateComponent.objects.bulk_create(
            RateComponent(
                version=version, position=c.position, type=c.type, name=c.name, spec=c.spec
            )
            for c in base.components.order_by("position")
        )
    return version


def parse_components(specs: list[dict]) -> tuple[Component, ...]:
    """Every component through the rate book's own parser, then the checks
    across components, each message naming the component's row."""
    if not specs:
        raise ValidationError("A version needs at least one component.")
    if len(specs) > MAX_COMPONENTS:
        raise ValidationError(f"A version has at most {MAX_COMPONENTS} components.")
    components = []
    errors = []
    for row, spec in enumerate(specs, start=1):
        try:
            reject_card_numbers(name=spec.get("name"), program=spec.get("program"))
            components.append(parse_component_spec(spec, f"Component {row}"))
        except RateBookError as exc:
            errors.append(str(exc))
        except ValidationError as exc:
            errors.extend(f"Component {row}: {m}" for m in exc.messages)
    if errors:
        raise ValidationError(errors)
    errors += _cross_checks(components)
    if errors:
        raise ValidationError(errors)
    return tuple(components)


def _cross_checks(components: list[Component]) -> list[str]:
    meta = RateBookMeta.objects.first()
    sizes = set(meta.meter_sizes) if meta else set()
    seasons = set(meta.seasons) if meta else set()
    errors = []
    for row, c in enumerate(components, start=1):
        where = f"Component {row} {c.name!r}"
        earlier = {e.name for e in components[: row - 1]}
        if c.type == "discount" and c.of not in earlier:
            errors.append(f"{where}: “Of” must name a component above it ({c.of!r} is not one)")
        if c.type == "usage_credit" and not any(
            e.type == "tiered" and e.name == c.of for e in components
        ):
            errors.append(f"{where}: “Of” must name a usage-block component ({c.of!r} is not one)")
        if c.by_meter_size is not None and sizes and not set(c.by_meter_size) <= sizes:
            unknown = ", ".join(sorted(set(c.by_meter_size) - sizes))
            errors.append(f"{where}: meter size {unknown} is not one the rate book prices")
        if c.season is not None and seasons and c.season not in seasons:
            errors.append(f"{where}: season {c.season!r} is not in the rate book")
        if c.months is not None and not all(1 <= m <= 12 for m in c.months):
            errors.append(f"{where}: months are 1 to 12")
        if c.type == "tiered" and any(b.upto is not None and b.upto <= 0 for b in c.blocks):
            errors.append(f"{where}: a block's upper limit must be more than 0")
        for key in ("amount", "price", "units"):
            value = getattr(c, key)
            if value is not None and value < 0:
                errors.append(f"{where}: {key} cannot be negative")
        if c.percent is not None and not 0 <= c.percent <= 100:
            errors.append(f"{where}: percent must be between 0 and 100")
    return errors


def _lock_editable(version_id: int, by) -> RateVersion:
    version = (
        RateVersion.objects.select_for_update().select_related("schedule").filter(pk=version_id)
    ).first()
    if version is None:
        raise ValidationError("That rate version no longer exists.")
    _refuse_unless_editor(by, version.schedule)
    if version_is_billed(version):
        raise ValidationError(
            f"{version.schedule.code} from {day_text(version.effective)} has priced issued "
            "bills and cannot change; start a new version instead."
        )
    return version


@transaction.atomic
def rate_version_save(
    *, version_id: int, components: list[dict], by, effective: date | None = None
) -> RateVersion:
    """Replace the version's components (and a draft's effective date).
    Refused, whole, for a version that priced an issued bill."""
    version = _lock_editable(version_id, by)
    parsed = parse_components(components)
    fields = []
    if version.is_draft and effective is not None and effective != version.effective:
        check_effective(version.schedule, effective, draft=version)
        version.effective = effective
        fields.append("effective")
    specs = [component_spec(c) for c in parsed]
    current = [c.spec for c in version.components.order_by("position")]
    if specs != current:
        version.components.all().delete()
        RateComponent.objects.bulk_create(
            RateComponent(version=version, position=n, type=s["type"], name=s["name"], spec=s)
            for n, s in enumerate(specs)
        )
    if fields:
        version.save(update_fields=fields)
    return version


@transaction.atomic
def rate_version_put_in_force(*, version_id: int, by) -> RateVersion:
    """The draft joins the rate book: from its effective date the engine (bill
    runs, the calculator, export_rates) prices with it. Twice is harmless."""
    version = _lock_editable(version_id, by)
    if not version.is_draft:
        return version
    RateSchedule.objects.select_for_update().filter(pk=version.schedule_id).first()
    check_effective(version.schedule, version.effective, draft=version)
    parse_components([c.spec for c in version.components.order_by("position")])
    version.status = IN_FORCE
    version.put_in_force_by = by
    version.put_in_force_at = timezone.now()
    version.save(update_fields=["status", "put_in_force_by", "put_in_force_at"])
    return version


@transaction.atomic
def rate_version_discard(*, version_id: int, by) -> RateSchedule | None:
    """Delete a draft; a version in force is never discarded here."""
    version = (
        RateVersion.objects.select_for_update().select_related("schedule").filter(pk=version_id)
    ).first()
    if version is None:
        return None
    _refuse_unless_editor(by, version.schedule)
    if not version.is_draft:
        raise ValidationError("Only a draft can be discarded; a version in force stays.")
    version.components.all().delete()
    version.delete()
    return version.schedule

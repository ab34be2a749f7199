"""Loading the rate book into the database, and reading it back for the engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from billing.models import BillLine, RateBookMeta, RateComponent, RateSchedule, RateVersion
from billing.rules.ratebook import (
    RateBook,
    RateBookError,
    Schedule,
    Version,
    component_spec,
    parse_component_spec,
)
from billing.selectors.rates import is_frozen, last_billed_day


@dataclass
class LoadReport:
    schedules_created: int = 0
    schedules_updated: int = 0
    versions_created: int = 0
    versions_replaced: int = 0
    versions_unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.schedules_created
            or self.schedules_updated
            or self.versions_created
            or self.versions_replaced
        )

    def as_dict(self) -> dict:
        return {
            "schedules_created": self.schedules_created,
            "schedules_updated": self.schedules_updated,
            "versions_created": self.versions_created,
            "versions_replaced": self.versions_replaced,
            "versions_unchanged": self.versions_unchanged,
            "errors": self.errors,
        }


def version_is_billed(version: RateVersion) -> bool:
    """Whether an issued bill was priced with this version (then it is frozen).

    A bill line names the version that priced it; bills loaded without lines
    (history brought over from the old system) name none, so a version in
    force is also frozen once an issued bill on its schedule covers a day on
    or after its effective date (docs/rate_editor.md, "Locked versions"). A
    draft prices nothing."""
    if version.status == RateVersion.Status.DRAFT:
        return False  # no query: nothing can have priced it
    return is_frozen(
        version,
        has_lines=BillLine.objects.filter(rate_version=version).exists(),
        last_billed=last_billed_day(version.schedule.code),
    )


@transaction.atomic
def ratebook_load(book: RateBook) -> LoadReport:
    """Make the database hold ``book``. Loading the same book twice changes
    nothing; a version that priced an issued bill cannot be changed (the
    whole load is refused); versions absent from the book are kept."""
    report = LoadReport()
    seasons: dict[str, list[int]] = {}
    for month, season in sorted(book.seasons.items()):
        seasons.setdefault(season, []).append(month)
    meta = RateBookMeta.objects.select_for_update().first() or RateBookMeta()
    if (meta.seasons, meta.meter_sizes, meta.timezone) != (
        seasons,
        list(book.meter_sizes),
        book.timezone,
    ):
        meta.seasons, meta.meter_sizes, meta.timezone = (
            seasons,
            list(book.meter_sizes),
            book.timezone,
        )
        meta.save()
    for schedule in book.schedules.values():
        _load_schedule(schedule, report)
    if report.errors:
        transaction.set_rollback(True)
    return report


def _load_schedule(schedule: Schedule, report: LoadReport) -> None:
    fields = {
        "name": schedule.name,
        "utility": schedule.utility,
        "customer_class": schedule.customer_class,
        "unit": schedule.unit,
        "default_winter_average": schedule.default_winter_average,
    }
    row = RateSchedule.objects.filter(code=schedule.code).first()
    if row is None:
        row = RateSchedule.objects.create(code=schedule.code, **fields)
        report.schedules_created += 1
    elif any(getattr(row, k) != v for k, v in fields.items()):
        for key, value in fields.items():
            setattr(row, key, value)
        row.save()
        report.schedules_updated += 1
    for version in schedule.versions:
        _load_version(row, version, report)


def _load_version(schedule_row: RateSchedule, version: Version, report: LoadReport) -> None:
    specs = [component_spec(c) for c in version.components]
    row = RateVersion.objects.filter(schedule=schedule_row, effective=version.effective).first()
    if row is None:
        row = RateVersion.objects.create(schedule=schedule_row, effective=version.effective)
        report.versions_created += 1
    elif row.status == RateVersion.Status.DRAFT:
        # A file is the book as it stands: a draft of the same date is that version, in force.
        row.status = RateVersion.Status.IN_FORCE
        row.save(update_fields=["status"])
        row.components.all().delete()
        report.versions_replaced += 1
    else:
        current = [c.spec for c in row.components.order_by("position")]
        if current == specs:
            report.versions_unchanged += 1
            return
        if version_is_billed(row):
            report.errors.append(
                f"{schedule_row.code} version {version.effective} has priced issued bills and "
                "cannot be changed; add a later version instead"
            )
            return
        row.components.all().delete()
        report.versions_replaced += 1
    RateComponent.objects.bulk_create(
        RateComponent(version=row, position=n, type=s["type"], name=s["name"], spec=s)
        for n, s in enumerate(specs)
    )


def ratebook_from_db() -> RateBook:
    """The rate book as the engine reads it, from the database."""
    meta = RateBookMeta.objects.first()
    if meta is None:
        raise RateBookError("no rate book is loaded: run `manage.py load_rates FILE`")
    seasons = {int(m): season for season, months in meta.seasons.items() for m in months}
    versions: dict[int, list[Version]] = {}
    components: dict[int, list] = {}
    # Drafts price nothing until they are put in force (docs/rate_editor.md).
    in_force = RateVersion.Status.IN_FORCE
    for component in RateComponent.objects.filter(version__status=in_force).order_by(
        "version_id", "position"
    ):
        components.setdefault(component.version_id, []).append(component)
    for row in RateVersion.objects.filter(status=in_force).order_by("schedule_id", "effective"):
        where = f"{row.schedule_id} version {row.effective}"
        versions.setdefault(row.schedule_id, []).append(
            Version(
                effective=row.effective,
                components=tuple(
                    parse_component_spec(c.spec, where) for c in components.get(row.pk, [])
                ),
            )
        )
    schedules = {
        s.code: Schedule(
            code=s.code,
            name=s.name,
            utility=s.utility,
            customer_class=s.customer_class,
            unit=s.unit,
            versions=tuple(versions.get(s.pk, ())),
            default_winter_average=s.default_winter_average,
        )
        for s in RateSchedule.objects.all()
        if versions.get(s.pk)
    }
    return RateBook(
        seasons=seasons,
        meter_sizes=tuple(meta.meter_sizes),
        schedules=schedules,
        timezone=meta.timezone,
    )

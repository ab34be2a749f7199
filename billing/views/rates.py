"""The rate editor (docs/rate_editor.md): the rate book's schedules, a
schedule's versions, and a version started from the current one, edited as
rows, previewed on sample bills before and after, saved and put in force."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from billing.filters import RateScheduleFilter
from billing.forms.rates import TYPES, PreviewForm, StartVersionForm, VersionEditor
from billing.models import RateSchedule, RateVersion
from billing.rules.ratebook import RateBookError, parse_component_spec
from billing.selectors import rates as selectors
from billing.selectors.rate_preview import rate_preview
from billing.services import rate_versions as services
from billing.services.rates import version_is_billed
from billing.tables import RateScheduleTable
from mesa_cs.lib.export import SafeExportMixin
from mesa_cs.lib.formatting import day_text
from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.roles import AllowMixin, Area, allow


class RateBookView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    area = Area.RATES
    table_class = RateScheduleTable
    filterset_class = RateScheduleFilter
    template_name = "billing/rates/list.html"
    paginate_by = 50
    export_name = "rate-schedules"

    def get_queryset(self):
        return selectors.rate_schedules_list()


def _schedule(code: str) -> RateSchedule:
    schedule = selectors.schedule_by_code(code)
    if schedule is None:
        raise Http404("No such rate schedule.")
    return schedule


def _version(pk: int) -> RateVersion:
    version = selectors.version_page(pk)
    if version is None:
        raise Http404("No such rate version.")
    return version


def _editable(request, schedule: RateSchedule) -> None:
    if not selectors.user_may_edit_schedule(request.user, schedule):
        raise PermissionDenied(f"You may look at {schedule.code}'s rates but not change them.")


def _schedule_page(request, schedule, form=None, status=200):
    rows = selectors.schedule_versions(schedule)
    can_edit = selectors.user_may_edit_schedule(request.user, schedule)
    form = form or StartVersionForm(initial={"effective": selectors.suggested_effective(schedule)})
    return render(
        request,
        "billing/rates/schedule.html",
        {
            "schedule": schedule,
            "rows": rows,
            "draft": next((row.version for row in rows if row.version.is_draft), None),
            "current": selectors.current_version(schedule),
            "can_edit": can_edit,
            "form": form,
        },
        status=status,
    )


@allow(Area.RATES)
def rate_schedule(request, code):
    return _schedule_page(request, _schedule(code))


@allow(Area.RATES)
@require_POST
def rate_version_start(request, code):
    schedule = _schedule(code)
    _editable(request, schedule)
    form = StartVersionForm(request.POST)
    if form.is_valid():
        try:
            version = services.rate_version_start(
                schedule_code=schedule.code,
                effective=form.cleaned_data["effective"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Draft of {schedule.code} from {day_text(version.effective)} started from the "
                "current version. It prices nothing until you put it in force.",
            )
            return redirect("billing:rate_version_edit", version.pk)
    return _schedule_page(request, schedule, form, status=400)


@allow(Area.RATES)
def rate_version(request, pk):
    version = _version(pk)
    components = selectors.component_rows(version, dict(TYPES))
    return render(
        request,
        "billing/rates/version.html",
        {
            "version": version,
            "schedule": version.schedule,
            "components": components,
            "locked": version_is_billed(version),
            "can_edit": selectors.user_may_edit_schedule(request.user, version.schedule),
        },
    )


def _refuse_locked(request, version) -> bool:
    if version_is_billed(version):
        messages.error(
            request,
            f"{version.schedule.code} from {day_text(version.effective)} has priced issued bills "
            "and cannot change; start a new version instead.",
        )
        return True
    return False


def _preview_form(data, version, specs):
    """The sample bills; on the first look, a month after the effective date
    at a few usages, so the change shows before anyone types."""
    services_used = sorted({k for s in specs for k in (s.get("by_service") or {})})
    sizes = selectors.meter_sizes()
    if data is None:
        data = {
            "p-usages": PreviewForm.base_fields["usages"].initial,
            "p-read_on": (version.effective + timedelta(days=30)).isoformat(),
            "p-meter_size": "3/4" if "3/4" in sizes else (sizes[0] if sizes else ""),
            "p-service": services_used[0] if services_used else "",
            "p-quantity": "1",
            "p-acres": "1",
        }
    form = PreviewForm(data, prefix="p", meter_sizes=sizes, services=services_used)
    form.uses = {
        "meter_size": any(s.get("by_meter_size") for s in specs),
        "service": bool(services_used),
        "acres": any(s.get("basis") == "acres" for s in specs),
        "quantity": version.schedule.unit == "container" or any(s.get("per") for s in specs),
    }
    return form


def _samples(preview_form, version, effective, components):
    if not preview_form.is_valid():
        return None
    data = preview_form.cleaned_data
    start, end = preview_form.period()
    return rate_preview(
        schedule=version.schedule,
        effective=effective,
        components=components,
        usages=data["usages"],
        start=start,
        end=end,
        meter_size=data["meter_size"] if preview_form.uses["meter_size"] else None,
        service=data["service"] if preview_form.uses["service"] else None,
        quantity=data["quantity"] or 1,
        acres=data["acres"] if preview_form.uses["acres"] else None,
    )


@allow(Area.RATES)
def rate_version_edit(request, pk):
    """GET: the version as rows, previewed on sample bills. POST with
    ``action=preview``: the rows as typed, checked and priced before and
    after; ``action=save``: saved through the service."""
    version = _version(pk)
    _editable(request, version.schedule)
    if _refuse_locked(request, version):
        return redirect(version)
    seasons, sizes = selectors.seasons(), selectors.meter_sizes()
    draft = version.is_draft
    stored = [c.spec for c in version.components.order_by("position")]
    components, effective, status = None, version.effective, 200
    if request.method == "POST":
        editor = VersionEditor(request.POST, seasons=seasons, draft=draft)
        specs = stored
        if editor.is_valid():
            specs = editor.specs()
            effective = editor.effective or version.effective
            try:
                components = services.parse_components(specs)
            except ValidationError as exc:
                editor.add_problems(exc.messages)
        if components is not None and request.POST.get("action") == "save":
            try:
                services.rate_version_save(
                    version_id=version.pk, components=specs, effective=effective, by=request.user
                )
            except ValidationError as exc:
                if draft and hasattr(exc, "error_dict"):
                    add_service_errors(editor.header, exc)
                else:
                    editor.add_problems(exc.messages)
                components = None
            else:
                messages.success(
                    request, f"{version.schedule.code} from {day_text(effective)} saved."
                )
                return redirect("billing:rate_version", version.pk)
        if components is not None:
            # Shown again from what was taken: rows in order, a blank one to add.
            editor = VersionEditor(
                specs=specs, seasons=seasons, meter_sizes=sizes, effective=effective, draft=draft
            )
        else:
            status = 400
        preview_form = _preview_form(request.POST, version, specs)
    else:
        editor = VersionEditor(
            specs=stored, seasons=seasons, meter_sizes=sizes, effective=effective, draft=draft
        )
        preview_form = _preview_form(None, version, stored)
        try:
            components = tuple(parse_component_spec(s, "component") for s in stored)
        except RateBookError:
            components = None
    samples = _samples(preview_form, version, effective, components) if components else None
    editor.dress()
    return render(
        request,
        "billing/rates/edit.html",
        {
            "version": version,
            "schedule": version.schedule,
            "editor": editor,
            "preview_form": preview_form,
            "samples": samples,
            "effective": effective,
        },
        status=status,
    )


@allow(Area.RATES)
@require_POST
def rate_version_put_in_force(request, pk):
    version = _version(pk)
    _editable(request, version.schedule)
    try:
        version = services.rate_version_put_in_force(version_id=version.pk, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"{version.schedule.code} from {day_text(version.effective)} is in force: bills and "
            "the bill calculator price with it from that day.",
        )
    return redirect(version)


@allow(Area.RATES)
@require_POST
def rate_version_discard(request, pk):
    version = _version(pk)
    _editable(request, version.schedule)
    try:
        services.rate_version_discard(version_id=version.pk, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(version)
    messages.success(request, f"Draft of {version.schedule.code} discarded.")
    return redirect(version.schedule)

"""Route production pages: the lists (routes, trucks, crew, entries), the
day's entry, the file import, and the productivity figures with their charts."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from mesa_cs.lib.charts import column_chart, row_chart
from mesa_cs.lib.dates import today
from mesa_cs.lib.export import RowsTableMixin, SafeExportMixin
from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.lists import ListPage
from mesa_cs.lib.roles import AllowMixin, Area, allow, user_roles
from solidwaste import filters, tables
from solidwaste.forms import EntryForm, KpiForm, UploadForm
from solidwaste.selectors import production as selectors
from solidwaste.services.production import production_entry_record, production_import
from solidwaste.views.access import PRODUCTION_ROLES, SETUP_ROLES


class ProductionList(ListPage):
    area, roles = Area.SOLIDWASTE, PRODUCTION_ROLES
    template_name = "solidwaste/list.html"


class EntriesView(ProductionList):
    table_class, filterset_class = tables.EntryTable, filters.EntryFilter
    rows = staticmethod(selectors.entries_list)
    export_name = "route-production"
    extra_context = {
        "title": "Route production",
        "new_url": "solidwaste:production_enter",
        "new_label": "Enter production",
    }


class SetupList(ProductionList):
    """Routes, trucks or crew: EMS supervisors get "New" and an edit link on
    each row."""

    new_url = new_label = ""

    def can_edit(self) -> bool:
        return bool(user_roles(self.request.user) & SETUP_ROLES)

    def get_table_kwargs(self):
        return {} if self.can_edit() else {"exclude": ("edit",)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.can_edit():
            context |= {"new_url": self.new_url, "new_label": self.new_label}
        return context


class RoutesView(SetupList):
    table_class, filterset_class = tables.RouteTable, filters.RouteFilter
    rows = staticmethod(selectors.routes_list)
    export_name = "routes"
    extra_context = {"title": "Routes"}
    new_url, new_label = "solidwaste:route_new", "New route"


class TrucksView(SetupList):
    table_class, filterset_class = tables.TruckTable, filters.TruckFilter
    rows = staticmethod(selectors.trucks_list)
    export_name = "trucks"
    extra_context = {"title": "Trucks"}
    new_url, new_label = "solidwaste:truck_new", "New truck"


class CrewView(SetupList):
    table_class, filterset_class = tables.CrewTable, filters.CrewFilter
    rows = staticmethod(selectors.crew_list)
    export_name = "crew"
    extra_context = {"title": "Operators and foremen"}
    new_url, new_label = "solidwaste:crew_member_new", "New crew member"


@allow(Area.SOLIDWASTE, roles=PRODUCTION_ROLES)
def production_enter(request):
    """One crew sheet line; the day's lines below, to see what is in."""
    initial = {}
    for name in ("work_on", "route", "truck"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry, created = production_entry_record(**data, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            verb = "recorded" if created else "corrected"
            messages.success(
                request,
                f"{entry.operator.name} on {entry.route.code}, {entry.work_on:%m/%d/%Y}: {verb}.",
            )
            query = f"?work_on={entry.work_on}&route={entry.route_id}&truck={entry.truck_id}"
            return redirect(reverse("solidwaste:production_enter") + query)
    day = form["work_on"].value()
    try:
        day = date.fromisoformat(str(day)) if day else today()
    except ValueError:
        day = today()
    return render(
        request,
        "solidwaste/entry.html",
        {
            "form": form,
            "day": day,
            "entries": selectors.entries_list().filter(work_on=day).order_by("route__code"),
        },
    )


@allow(Area.SOLIDWASTE, roles=PRODUCTION_ROLES)
def production_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    summary = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        summary, _ = production_import(content=upload.read(), filename=upload.name, by=request.user)
        if summary["errors"]:
            messages.warning(request, f"{upload.name}: nothing was recorded; see the lines below.")
        else:
            messages.success(request, f"{upload.name} imported.")
    return render(
        request,
        "solidwaste/import.html",
        {"form": form, "summary": summary, "files": selectors.files_list()},
    )


def _date(text: str | None, default: date) -> date:
    try:
        return min(date.fromisoformat(text or ""), today())
    except ValueError:
        return default


class KpiView(AllowMixin, SafeExportMixin, RowsTableMixin, SingleTableMixin, TemplateView):
    """Productivity by route, operator, truck or day over a period (the last
    30 days by default), against the targets, with two charts."""

    area, roles = Area.SOLIDWASTE, PRODUCTION_ROLES
    template_name = "solidwaste/kpis.html"
    table_pagination = False
    report_column = tables.FigureColumn

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.end = _date(request.GET.get("end"), today())
        self.start = _date(request.GET.get("start"), self.end - timedelta(days=29))
        if self.start > self.end:
            self.start, self.end = self.end, self.start
        self.by = request.GET.get("by") if request.GET.get("by") in selectors.GROUPS else "route"

    def report_rows(self):
        return selectors.production_kpis(self.start, self.end, by=self.by)

    @property
    def export_name(self):
        return f"production-kpis-by-{self.by}-{self.start}-{self.end}"

    def get_context_data(self, **kwargs):
        rows = self.get_table_data()
        groups = rows[:-1]  # the last row is the total
        name = selectors.GROUPS[self.by][0][1]
        labels = [
            f"{row[name]:%m/%d}" if isinstance(row[name], date) else str(row[name])
            for row in groups
        ]
        series_chart = column_chart if self.by == "day" else row_chart
        charts = []
        if groups:
            charts = [
                series_chart(
                    f"Lifts per operator-day by {self.by}, against the routes' target",
                    labels,
                    [
                        ("Lifts per operator-day", [row["lifts_per_day"] or 0 for row in groups]),
                        ("Target", [row["target_lifts_per_day"] or 0 for row in groups]),
                    ],
                ),
                series_chart(
                    f"Misses per 1,000 lifts by {self.by}",
                    labels,
                    [
                        (
                            "Misses per 1,000 lifts",
                            [row["misses_per_1000_lifts"] or 0 for row in groups],
                        )
                    ],
                ),
            ]
        form = KpiForm(initial={"start": self.start, "end": self.end, "by": self.by})
        return super().get_context_data(
            **kwargs,
            form=form,
            start=self.start,
            end=self.end,
            by=self.by,
            group_label=selectors.GROUP_LABELS[self.by],
            charts=charts,
            total=rows[-1] if rows else None,
            targets=selectors.kpi_targets(),
        )

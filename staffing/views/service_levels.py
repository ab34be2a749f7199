"""The contact center's service levels for Supervisors and Administrators
(docs/contact_center.md): the phone system's interval import, and the
figures by interval, day, queue or agent against the targets, with charts
and exports."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.shortcuts import render
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from mesa_cs.lib.charts import column_chart, row_chart
from mesa_cs.lib.dates import today
from mesa_cs.lib.export import RowsTableMixin, SafeExportMixin
from mesa_cs.lib.formatting import day_text
from mesa_cs.lib.roles import AllowMixin, Area, allow
from staffing.forms import IntervalUploadForm, ServiceLevelFilterForm
from staffing.rules.service_levels import target_text
from staffing.selectors import calls as selectors
from staffing.services.intervals import intervals_import
from staffing.tables import ServiceLevelColumn

# The period's figures above the table: (row key, verdict key, name, unit).
HEADLINES = (
    ("service_level_percent", "service_level_target", "service_level", "Service level", "%"),
    ("speed_of_answer_seconds", "speed_of_answer_target", "speed_of_answer",
     "Average speed of answer", "s"),
    ("abandonment_percent", "abandonment_target", "abandonment", "Abandoned", "%"),
    ("handle_time_seconds", "", "handle_time", "Average handle time", "s"),
    ("occupancy_percent", "occupancy_target", "occupancy", "Occupancy", "%"),
    ("first_contact_percent", "first_contact_target", "first_contact",
     "First-contact resolution", "%"),
)  # fmt: skip


@allow(Area.STAFFING)
def intervals_upload(request):
    form = IntervalUploadForm(request.POST or None, request.FILES or None)
    summary = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        summary, _ = intervals_import(content=upload.read(), filename=upload.name, by=request.user)
        if summary["errors"]:
            messages.warning(request, f"{upload.name}: nothing was recorded; see the lines below.")
        elif summary["same_file_as"]:
            messages.info(request, f"{upload.name} was imported before; nothing new.")
        else:
            messages.success(request, f"{upload.name} imported.")
    return render(
        request,
        "staffing/service_levels/import.html",
        {"form": form, "summary": summary, "files": selectors.interval_files()},
    )


class ServiceLevelsView(
    AllowMixin, SafeExportMixin, RowsTableMixin, SingleTableMixin, TemplateView
):
    """The figures over a period (the last 7 days to yesterday by default),
    grouped by interval, day, queue or agent, against the targets."""

    area = Area.STAFFING
    template_name = "staffing/service_levels/report.html"
    report_column = ServiceLevelColumn
    table_pagination = {"per_page": 200}

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        yesterday = today() - timedelta(days=1)
        initial = {"start": yesterday - timedelta(days=6), "end": yesterday, "by": "day"}
        self.form = ServiceLevelFilterForm(
            request.GET or None,
            initial=initial,
            queues=selectors.queues(),
            agents=selectors.agents(),
        )
        self.filters = dict(initial, queue="", agent="")
        if request.GET and self.form.is_valid():
            self.filters.update(self.form.cleaned_data)

    def report_rows(self):
        f = self.filters
        return selectors.service_levels(
            f["start"], f["end"], by=f["by"], queue=f["queue"], agent=f["agent"]
        )

    @property
    def export_name(self):
        f = self.filters
        return f"service-levels-by-{f['by']}-{f['start']}-{f['end']}"

    def _charts(self, groups: list[dict]) -> list:
        by = self.filters["by"]
        heading = selectors.GROUPS[by]
        labels = []
        for row in groups:
            value = row[heading]
            if isinstance(value, datetime):
                labels.append(f"{value:%m/%d %H:%M}")
            elif isinstance(value, date):
                labels.append(f"{value:%m/%d}")
            else:
                labels.append(str(value))
        chart = column_chart if by in ("interval", "day") else row_chart
        target = selectors.targets().service_level
        return [
            chart(
                f"Service level by {by}, % answered within 20 s, against the {target} % target",
                labels,
                [
                    ("Service level %", [row["service_level_percent"] or 0 for row in groups]),
                    ("Target %", [target for _ in groups]),
                ],
            ),
            chart(
                f"Calls by {by}: offered, answered and abandoned",
                labels,
                [
                    ("Offered", [row["offered"] for row in groups]),
                    ("Answered", [row["answered"] for row in groups]),
                    ("Abandoned", [row["abandoned"] for row in groups]),
                ],
            ),
        ]

    def get_context_data(self, **kwargs):
        rows = self.get_table_data()
        groups, total = rows[:-1], rows[-1]
        goal = selectors.targets()
        headlines = [
            {
                "name": name,
                "value": total[value],
                "unit": unit,
                "verdict": total[verdict] if verdict else "",
                "target": target_text(key, goal),
            }
            for value, verdict, key, name, unit in HEADLINES
        ]
        f = self.filters
        context = super().get_context_data(
            **kwargs,
            form=self.form,
            filters=f,
            group_label=selectors.GROUPS[f["by"]],
            period=f"{day_text(f['start'])} to {day_text(f['end'])}",
            headlines=headlines,
            total=total,
        )
        # The charts show the table's page (a month of intervals is 2,880 groups).
        shown = [row.record for row in context["table"].paginated_rows]
        shown = [row for row in shown if row is not total]
        context["charts"] = self._charts(shown) if groups and shown else []
        return context

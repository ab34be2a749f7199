"""The Alarm Unit's reports: pick one and its dates, read the table, export it."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import Http404
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from alarms.selectors.reports import REPORTS
from mesa_cs.lib.columns import ReportColumn
from mesa_cs.lib.dates import today
from mesa_cs.lib.export import RowsTableMixin, SafeExportMixin
from mesa_cs.lib.roles import AllowMixin, Area


def _day(text: str, default: date) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return default


class ReportView(AllowMixin, SafeExportMixin, RowsTableMixin, SingleTableMixin, TemplateView):
    area = Area.ALARMS
    template_name = "alarms/report.html"
    report_column = ReportColumn
    table_pagination = False

    def dispatch(self, request, *args, name, **kwargs):
        if name not in REPORTS:
            raise Http404("No such report.")
        self.name = name
        end = _day(request.GET.get("end"), today())
        self.end = min(end, today())
        self.start = min(_day(request.GET.get("start"), self.end - timedelta(days=364)), self.end)
        return super().dispatch(request, *args, **kwargs)

    @property
    def export_name(self):
        return f"alarms-{self.name}-{self.start}-{self.end}"

    def report_rows(self):
        return REPORTS[self.name][1](self.start, self.end)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            name=self.name,
            title=REPORTS[self.name][0],
            reports=REPORTS,
            start=self.start,
            end=self.end,
        )

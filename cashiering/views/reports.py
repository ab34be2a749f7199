from datetime import date

from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from cashiering.selectors import reports
from cashiering.services import deposits as deposit_services
from cashiering.tables import DailyCashTable
from mesa_cs.lib.export import RowsTableMixin, SafeExportMixin
from mesa_cs.lib.roles import LEADS, AllowMixin, Area


class DailyCashReport(AllowMixin, SafeExportMixin, SingleTableMixin, TemplateView):
    area = Area.CASHIERING
    template_name = "cashiering/daily_cash.html"

    def day(self):
        try:
            return date.fromisoformat(self.request.GET.get("day", ""))
        except ValueError:
            return timezone.localdate()

    def get_table_data(self):
        return deposit_services.daily_cash_report(self.day())

    def get_table_class(self):
        return DailyCashTable

    def get_context_data(self, **kwargs):
        return super().get_context_data(day=self.day(), **kwargs)


class CashieringReportView(
    AllowMixin, RowsTableMixin, SafeExportMixin, SingleTableMixin, TemplateView
):
    area = Area.CASHIERING
    roles = LEADS
    template_name = "cashiering/report.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["name"] not in reports.REPORTS:
            raise Http404("No such report.")

    def period(self):
        today = timezone.localdate()
        try:
            start = date.fromisoformat(self.request.GET.get("start", ""))
        except ValueError:
            start = today.replace(day=1)
        try:
            end = date.fromisoformat(self.request.GET.get("end", ""))
        except ValueError:
            end = today
        return start, end

    def report_rows(self):
        start, end = self.period()
        name = self.kwargs["name"]
        if name == "payments":
            return reports.payments_by_source(start, end)
        if name == "over-short":
            return reports.over_short_by_cashier(start, end)
        if name == "reconciliation":
            return deposit_services.file_reconciliation(start, end)
        return reports.suspense_aging(timezone.localdate())

    def get_context_data(self, **kwargs):
        start, end = self.period()
        return super().get_context_data(
            title=reports.REPORTS[self.kwargs["name"]],
            reports=reports.REPORTS,
            start=start,
            end=end,
            **kwargs,
        )

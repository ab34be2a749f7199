from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from billing.models import BillRun
from billing.selectors import reports
from billing.selectors.bills import investigation
from billing.tables import ConsumptionTable, RevenueTable, register_table
from mesa_cs.lib.export import RowsTableMixin, SafeExportMixin
from mesa_cs.lib.roles import AllowMixin, Area, allow


class ReportView(AllowMixin, RowsTableMixin, SafeExportMixin, SingleTableMixin, TemplateView):
    """One page for the four billing reports; each exports to CSV and Excel."""

    area = Area.BILLING
    template_name = "billing/report.html"
    paginate_by = 100

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["name"] not in reports.REPORTS:
            raise Http404("No such report.")
        self.name = kwargs["name"]

    def report_rows(self):
        today = timezone.localdate()
        year = _int(self.request.GET.get("year"), today.year)
        if self.name == "register":
            run = _int(self.request.GET.get("run"), None) or (
                BillRun.objects.values_list("pk", flat=True).first()
            )
            return reports.billing_register(run) if run else []
        if self.name == "revenue":
            return reports.revenue_by_schedule(year)
        if self.name == "consumption":
            return reports.consumption_by_class(year)
        return reports.read_exception_aging(today)

    def get_table_class(self):
        if self.name == "register":
            return register_table(reports.REGISTER_AMOUNTS)
        if self.name == "revenue":
            return RevenueTable
        if self.name == "consumption":
            return ConsumptionTable
        return super().get_table_class()

    def get_export_filename(self, export_format):
        return f"{self.name}.{export_format}"

    def get_context_data(self, **kwargs):
        title, blurb = reports.REPORTS[self.name]
        return super().get_context_data(
            title=title,
            blurb=blurb,
            reports=reports.REPORTS,
            runs=BillRun.objects.select_related("cycle")[:30],
            **kwargs,
        )


def _int(text, default):
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


@allow(Area.BILLING)
def high_bill(request, number):
    from accounts.selectors import account_by_number

    account = account_by_number(number)
    if account is None:
        raise Http404("No such account.")
    return render(
        request,
        "billing/high_bill.html",
        {"account": account, "services": investigation(account)},
    )


@allow(Area.BILLING)
@require_POST
def meter_test_request(request, number):
    from accounts.selectors import account_by_number
    from billing.services.meter_tests import meter_test_request as request_test

    account = account_by_number(number)
    if account is None:
        raise Http404("No such account.")
    request_test(account=account, by=request.user)
    messages.success(
        request, "Meter test requested: it is in the Account Maintenance & Billing queue."
    )
    return redirect("billing:high_bill", number=number)

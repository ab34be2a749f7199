"""The Credit Services reports page: pick a report and its dates, read the
chart and the table, export the table to CSV or Excel.

The chart is drawn on the server as SVG by ``mesa_cs.lib.charts``."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from accounts.selectors.ledger import AGING_LABELS
from credit.selectors import reports
from mesa_cs.lib.charts import Chart, column_chart, row_chart
from mesa_cs.lib.columns import ReportColumn
from mesa_cs.lib.export import RowsTableMixin, SafeExportMixin
from mesa_cs.lib.roles import AllowMixin, Area

# What each report asks for: a day (``as_of``), a period, or nothing (today).
AS_OF, PERIOD, TODAY = "as_of", "period", "today"
PARAMETERS = {
    "aging": AS_OF,
    "disconnects": PERIOD,
    "arrangements": PERIOD,
    "write_offs": PERIOD,
    "pledges": PERIOD,
    "ladder": TODAY,
}
PERIOD_REPORTS = {
    "disconnects": reports.disconnects,
    "arrangements": reports.arrangements,
    "write_offs": reports.write_offs,
    "pledges": reports.pledges,
}
# A day-by-day report over more than a year is no longer readable.
LONGEST_DAILY = 366


def _aging_chart(rows) -> Chart | None:
    by_utility: dict[str, dict[str, Decimal]] = {}
    for row in rows[:-1]:  # the last row is the total of the others
        totals = by_utility.setdefault(row["utility"], {})
        for column in reports.AGING_COLUMNS.values():
            totals[column] = totals.get(column, Decimal(0)) + row[column]
    labels = [label for label in reports.UTILITY_LABELS.values() if label in by_utility]
    series = [
        (
            AGING_LABELS[bucket],
            [by_utility[u][column] for u in labels],
        )
        for bucket, column in reports.AGING_COLUMNS.items()
    ]
    return row_chart("Open charges by utility and age", labels, series, money=True)


def _disconnects_chart(rows) -> Chart | None:
    return column_chart(
        "Disconnects and reconnects completed per day",
        [f"{row['day']:%m/%d}" for row in rows],
        [
            ("Disconnects completed", [row["disconnects_completed"] for row in rows]),
            ("Reconnects completed", [row["reconnects_completed"] for row in rows]),
        ],
    )


def _arrangements_chart(rows) -> Chart | None:
    return column_chart(
        "Arrangements made, kept and broken per month",
        [row["month"] for row in rows],
        [(name.capitalize(), [row[name] for row in rows]) for name in ("made", "kept", "broken")],
    )


def _write_offs_chart(rows) -> Chart | None:
    return column_chart(
        "Written off and recovered per month",
        [row["month"] for row in rows],
        [
            ("Written off", [row["written_off"] for row in rows]),
            ("Recovered", [row["recovered"] for row in rows]),
        ],
        money=True,
    )


def _pledges_chart(rows) -> Chart | None:
    return row_chart(
        "Pledges by agency: pending now, paid and expired in the period",
        [row["agency"] for row in rows],
        [
            (name.capitalize(), [row[name] for row in rows])
            for name in ("pending", "paid", "expired")
        ],
    )


def _ladder_chart(rows) -> Chart | None:
    return row_chart(
        "Accounts at each ladder step, stopped from moving on, and under each hold",
        [row["item"] for row in rows],
        [("Accounts", [row["accounts"] for row in rows])],
        sections=[row["group"] for row in rows],
    )


CHARTS = {
    "aging": _aging_chart,
    "disconnects": _disconnects_chart,
    "arrangements": _arrangements_chart,
    "write_offs": _write_offs_chart,
    "pledges": _pledges_chart,
    "ladder": _ladder_chart,
}


def _date(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return default


class ReportView(AllowMixin, RowsTableMixin, SafeExportMixin, SingleTableMixin, TemplateView):
    """One page for the Credit Services reports; each exports to CSV and Excel."""

    report_column = ReportColumn  # every Decimal in these reports is an amount

    area = Area.CREDIT
    template_name = "credit/report.html"
    table_pagination = False

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["name"] not in reports.REPORTS:
            raise Http404("No such report.")
        self.name = kwargs["name"]
        self.today = timezone.localdate()

    def as_of(self) -> date:
        return _date(self.request.GET.get("as_of"), self.today)

    def period(self) -> tuple[date, date]:
        """The dates asked for, in order; by default the last 30 days for
        the daily report and the last 12 months for the monthly ones."""
        end = _date(self.request.GET.get("end"), self.today)
        if self.name == "disconnects":
            default_start = end - timedelta(days=29)
        else:
            months = end.year * 12 + end.month - 1 - 11
            default_start = date(months // 12, months % 12 + 1, 1)
        start = _date(self.request.GET.get("start"), default_start)
        if start > end:
            start, end = end, start
        if self.name == "disconnects" and (end - start).days >= LONGEST_DAILY:
            start = end - timedelta(days=LONGEST_DAILY - 1)
        return start, end

    def report_rows(self):
        if self.name == "aging":
            return reports.aging(self.as_of())
        if self.name == "ladder":
            return reports.ladder(self.today)
        start, end = self.period()
        return PERIOD_REPORTS[self.name](start, end)

    def get_export_filename(self, export_format):
        return f"{self.name}.{export_format}"

    def get_context_data(self, **kwargs):
        title, blurb = reports.REPORTS[self.name]
        rows = self.get_table_data()
        chart = CHARTS[self.name](rows) if rows else None
        parameters = PARAMETERS[self.name]
        context = {"title": title, "blurb": blurb, "reports": reports.REPORTS}
        context.update(parameters=parameters, chart=chart, today=self.today)
        if parameters == AS_OF:
            context["as_of"] = self.as_of()
        elif parameters == PERIOD:
            context["start"], context["end"] = self.period()
        context["numeric"] = sorted(
            {key for row in rows for key, value in row.items() if isinstance(value, int | Decimal)}
        )
        return super().get_context_data(**context, **kwargs)

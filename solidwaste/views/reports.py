"""The payroll and financial performance reports, for a day or a month: on
the page with their charts, as a PDF, and as XLSX (and the payroll export as
CSV, the time entries payroll loads)."""

from __future__ import annotations

import csv
import io
from datetime import date

import tablib
from django.http import HttpResponse
from django.shortcuts import render

from mesa_cs.lib.charts import column_chart
from mesa_cs.lib.dates import today
from mesa_cs.lib.export import neutralise
from mesa_cs.lib.formatting import export_text
from mesa_cs.lib.pdf import render_pdf
from mesa_cs.lib.roles import Area, allow
from solidwaste.forms import PeriodForm
from solidwaste.selectors import reports
from solidwaste.views.access import PRODUCTION_ROLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request) -> tuple[reports.Period, PeriodForm]:
    """The period asked for (this month by default; never after today)."""
    kind = request.GET.get("period")
    kind = kind if kind in (reports.DAY, reports.MONTH) else reports.MONTH
    try:
        day = min(date.fromisoformat(request.GET.get("day", "")), today())
    except ValueError:
        day = today()
    period = reports.Period.of(kind, day)
    return period, PeriodForm(initial={"period": kind, "day": day})


def _heading(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _sheet(title: str, rows: list[dict]) -> tablib.Dataset:
    sheet = tablib.Dataset(title=title[:31])
    if rows:
        sheet.headers = [_heading(key) for key in rows[0]]
        for row in rows:
            sheet.append([neutralise(export_text(value)) for value in row.values()])
    return sheet


def _xlsx(sheets: list[tuple[str, list[dict]]], filename: str) -> HttpResponse:
    book = tablib.Databook([_sheet(title, rows) for title, rows in sheets])
    response = HttpResponse(book.export("xlsx"), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pdf(template: str, context: dict, filename: str) -> HttpResponse:
    context = {**context, "printed": today()}
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- Payroll ----------------------------------------------------------------


def _payroll_context(request) -> dict:
    period, form = _period(request)
    return {
        "period": period,
        "form": form,
        "rows": reports.payroll(period.start, period.end),
        "query": f"period={period.kind}&day={period.start}",
    }


@allow(Area.SOLIDWASTE, roles=PRODUCTION_ROLES)
def payroll(request):
    return render(request, "solidwaste/payroll.html", _payroll_context(request))


@allow(Area.SOLIDWASTE, roles=PRODUCTION_ROLES)
def payroll_pdf(request):
    context = _payroll_context(request)
    return _pdf("solidwaste/payroll_pdf.html", context, f"ems-payroll-{context['period'].slug}.pdf")


@allow(Area.SOLIDWASTE, roles=PRODUCTION_ROLES)
def payroll_xlsx(request):
    period, _ = _period(request)
    return _xlsx(
        [
            ("Hours by crew member", reports.payroll(period.start, period.end)),
            ("Time entries", reports.payroll_export_lines(period.start, period.end)),
        ],
        f"ems-payroll-{period.slug}.xlsx",
    )


@allow(Area.SOLIDWASTE, roles=PRODUCTION_ROLES)
def payroll_export(request):
    """The payroll system's file: a time entry per crew member, day and pay code."""
    period, _ = _period(request)
    lines = reports.payroll_export_lines(period.start, period.end)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["employee_number", "name", "work_date", "pay_code", "hours", "routes"])
    for line in lines:
        writer.writerow([neutralise(export_text(value)) for value in line.values()])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ems-payroll-{period.slug}.csv"'
    return response


# --- Financial performance ----------------------------------------------------


def _financial_context(request) -> dict:
    period, form = _period(request)
    trend = reports.financial_trend(period)
    labels = [row["period"] for row in trend]
    unit = "day" if period.kind == reports.DAY else "month"
    # Nothing billed or collected (no tons hauled) over the chart's span: a
    # sentence, not empty axes.
    has_revenue = any(row["billed"] or row["collected"] for row in trend)
    has_cost = any(row["cost_per_ton"] for row in trend)
    return {
        "period": period,
        "form": form,
        "revenue": reports.revenue_by_service_line(period.start, period.end),
        "costs": reports.cost_by_service_line(period.start, period.end),
        "trend": trend,
        "charts": [
            column_chart(
                f"Solid-waste revenue billed and collected per {unit}",
                labels,
                [
                    ("Billed", [row["billed"] for row in trend]),
                    ("Collected", [row["collected"] for row in trend]),
                ],
                money=True,
            )
            if has_revenue
            else None,
            column_chart(
                f"Route cost per ton per {unit}",
                labels,
                [("Cost per ton", [row["cost_per_ton"] or 0 for row in trend])],
                money=True,
            )
            if has_cost
            else None,
        ],
        "query": f"period={period.kind}&day={period.start}",
    }


@allow(Area.SOLIDWASTE, roles=PRODUCTION_ROLES)
def financial(request):
    return render(request, "solidwaste/financial.html", _financial_context(request))


@allow(Area.SOLIDWASTE, roles=PRODUCTION_ROLES)
def financial_pdf(request):
    context = _financial_context(request)
    return _pdf(
        "solidwaste/financial_pdf.html", context, f"ems-financial-{context['period'].slug}.pdf"
    )


@allow(Area.SOLIDWASTE, roles=PRODUCTION_ROLES)
def financial_xlsx(request):
    context = _financial_context(request)
    return _xlsx(
        [
            ("Revenue by service line", context["revenue"]),
            ("Cost per ton and lift", context["costs"]),
            ("Trend", context["trend"]),
        ],
        f"ems-financial-{context['period'].slug}.xlsx",
    )

"""The Alarm Unit's lists: one page (filters beside the table, CSV and
Excel export) over each selector."""

from __future__ import annotations

from alarms import filters, tables
from alarms.selectors import permits as selectors
from mesa_cs.lib.lists import ListPage
from mesa_cs.lib.roles import Area


class AlarmList(ListPage):
    area = Area.ALARMS
    template_name = "alarms/list.html"


class PermitsView(AlarmList):
    table_class, filterset_class = tables.PermitTable, filters.PermitFilter
    rows = staticmethod(selectors.permits_list)
    export_name = "alarm-permits"
    extra_context = {"title": "Alarm permits", "new_url": "alarms:permit_new"}


class IncidentsView(AlarmList):
    table_class, filterset_class = tables.IncidentTable, filters.IncidentFilter
    rows = staticmethod(selectors.incidents_list)
    export_name = "alarm-incidents"
    extra_context = {"title": "Alarm incidents"}


class InvoicesView(AlarmList):
    table_class, filterset_class = tables.InvoiceTable, filters.InvoiceFilter
    rows = staticmethod(selectors.invoices_list)
    export_name = "alarm-invoices"
    extra_context = {"title": "Alarm invoices"}


class AppealsView(AlarmList):
    table_class, filterset_class = tables.AppealTable, filters.AppealFilter
    rows = staticmethod(selectors.appeals_list)
    export_name = "alarm-appeals"
    extra_context = {"title": "Appeals"}


class CompaniesView(AlarmList):
    table_class, filterset_class = tables.CompanyTable, filters.CompanyFilter
    rows = staticmethod(selectors.companies_list)
    export_name = "alarm-companies"
    extra_context = {"title": "Alarm companies", "new_url": "alarms:company_new"}

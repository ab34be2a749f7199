"""The list page every section's lists share: filters beside a table,
paged, exported as CSV or Excel (safe to open in a spreadsheet), refused to
roles the page does not admit. A list names its ``area`` (and ``roles``),
``template_name``, ``table_class``, ``filterset_class``, ``export_name``
and ``rows``, the selector that gives its queryset."""

from __future__ import annotations

from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from mesa_cs.lib.export import SafeExportMixin
from mesa_cs.lib.roles import AllowMixin


class ListPage(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    paginate_by = 50
    rows = None  # the selector giving the list (a staticmethod)

    def get_queryset(self):
        return type(self).rows()

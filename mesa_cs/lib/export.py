"""List exports that are safe to open in a spreadsheet.

A text cell starting with ``=``, ``+``, ``-`` or ``@`` would be run as a
formula by Excel or LibreOffice (CSV injection); such cells get a leading
apostrophe. Numbers stay numbers; days and times are Phoenix local text
(``2026-12-01 13:02``) and nothing is an empty cell (docs/ui.md).
"""

from __future__ import annotations

from decimal import Decimal

from django_tables2.export import ExportMixin, TableExport

import mesa_cs.lib.columns  # noqa: F401  (model date fields export as Phoenix text)
from mesa_cs.lib.formatting import export_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        try:
            Decimal(value)
        except ArithmeticError:
            return "'" + value
    return value


class SafeTableExport(TableExport):
    def __init__(self, export_format, table, exclude_columns=None, dataset_kwargs=None):
        super().__init__(export_format, table, exclude_columns, dataset_kwargs)
        rows = [[neutralise(export_text(cell)) for cell in row] for row in self.dataset]
        headers = self.dataset.headers
        self.dataset.wipe()
        self.dataset.headers = headers
        for row in rows:
            self.dataset.append(row)


class SafeExportMixin(ExportMixin):
    export_class = SafeTableExport
    export_formats = ("csv", "xlsx")


class RowsTableMixin:
    """For report pages whose rows are dicts (``report_rows()``): a table with
    one column per key (in first-seen order), exportable like any list. The
    rows are computed once per request. ``report_column`` writes each cell
    (``mesa_cs.lib.columns.ReportColumn`` when every Decimal is an amount)."""

    report_column = None

    def get_table_data(self):
        if not hasattr(self, "_rows"):
            self._rows = self.report_rows()
        return self._rows

    def get_table_class(self):
        import django_tables2 as tables

        data = self.get_table_data()
        columns = list(dict.fromkeys(key for row in data for key in row)) or ["(no rows)"]
        column = self.report_column or tables.Column
        return type("RowsTable", (tables.Table,), {name: column() for name in columns})

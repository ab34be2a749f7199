"""django-tables2 columns that write things the one way (docs/ui.md).

On the page: ``$1,234.56``, ``12/01/2026``, ``12/01/2026 1:02 PM`` and staff
by full name. In a CSV/XLSX export: the amount as a number, days and moments
as sortable Phoenix local text (``2026-12-01 13:02``), nothing as an empty
cell. Model date and datetime fields listed in a table's ``Meta.fields`` get
DayColumn and MomentColumn without asking (registered below).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import django_tables2 as tables
from django.db import models
from django_tables2.columns.base import library

from mesa_cs.lib import formatting

MONEY_ATTRS = {"td": {"class": "text-end font-monospace"}, "th": {"class": "text-end"}}


class MoneyColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", MONEY_ATTRS)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return formatting.money_text(value)

    def value(self, value):
        return value


class _WhenColumn(tables.Column):
    """Written with ``text`` on the page and ``export_text`` in an export; the
    model's date (or, with ``moments``, datetime) fields get it by default."""

    moments = False

    def render(self, value):
        return self.text(value)

    def value(self, value):
        return formatting.export_text(value)

    @classmethod
    def from_field(cls, field, **kwargs):
        # A DateTimeField is a DateField too.
        if isinstance(field, models.DateField) and (
            isinstance(field, models.DateTimeField) == cls.moments
        ):
            return cls(**kwargs)
        return None


class DayColumn(_WhenColumn):
    text = staticmethod(formatting.day_text)


class MomentColumn(_WhenColumn):
    moments = True
    text = staticmethod(formatting.moment_text)


class StaffColumn(tables.Column):
    """A user foreign key, by full name."""

    def render(self, value):
        return formatting.staff_name(value)

    def value(self, value):
        return formatting.staff_name(value)


class ReportColumn(tables.Column):
    """A report cell whose rows are dicts: an amount (Decimal) as money, a day
    or a moment the one way, anything else as it is. Exports keep the number."""

    def render(self, value):
        if isinstance(value, Decimal):
            return formatting.money_text(value)
        if isinstance(value, datetime):
            return formatting.moment_text(value)
        if isinstance(value, date):
            return formatting.day_text(value)
        return value

    def value(self, value):
        return value


# Preferred over django-tables2's own DateColumn and DateTimeColumn (the
# library asks the last registered first), which export a datetime as UTC ISO
# text with microseconds.
library.register(DayColumn)
library.register(MomentColumn)

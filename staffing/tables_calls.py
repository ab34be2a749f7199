"""The service-level report's cells."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import django_tables2 as tables

from mesa_cs.lib import formatting


class ServiceLevelColumn(tables.Column):
    """An interval the one way (a moment), a day the one way, counts and
    figures with thousands grouped, no figure as a dash; a verdict in words.
    Exports keep the number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", "—")
        super().__init__(*args, **kwargs)

    def render(self, value):
        if isinstance(value, datetime):
            return formatting.moment_text(value)
        if isinstance(value, date):
            return formatting.day_text(value)
        if isinstance(value, int | Decimal):
            return formatting.quantity_text(value)
        return value

    def value(self, value):
        return formatting.export_text(value)

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import django_tables2 as tables

from mesa_cs.lib import formatting
from mesa_cs.lib.columns import DayColumn, StaffColumn
from mesa_cs.lib.formatting import code_label
from staffing.models import Complaint, SpotCheck, WorkItem


class WorkItemTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name="#")
    title = tables.Column(linkify=True)
    account = tables.Column(
        accessor="account__number",
        verbose_name="Account",
        linkify=(lambda record: record.account.get_absolute_url() if record.account_id else None),
    )
    assignee = StaffColumn(accessor="assignee", verbose_name="Assignee", default="—")
    due_on = DayColumn(verbose_name="Due")
    kind = tables.Column()
    take = tables.TemplateColumn(
        template_name="staffing/_assign_to_me.html",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    def render_kind(self, value):
        return code_label(value)

    def value_kind(self, value):
        return code_label(value)

    class Meta:
        model = WorkItem
        fields = [
            "id",
            "title",
            "kind",
            "priority",
            "status",
            "account",
            "assignee",
            "due_on",
            "opened_at",
            "take",
        ]
        order_by = ["-priority", "due_on"]
        empty_text = "No work items match these filters."


class ComplaintTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name="#")
    category = tables.Column()
    customer = tables.Column(accessor="pk", verbose_name="Customer", orderable=False)
    level = tables.Column()
    status = tables.Column()
    level_due_on = DayColumn(verbose_name="Due at this level")
    opened_at = tables.DateTimeColumn(verbose_name="Opened")
    opened_by = StaffColumn(verbose_name="Taken by")

    def render_customer(self, record):
        return str(record.account) if record.account_id else record.customer_name

    def value_customer(self, record):
        return self.render_customer(record)

    class Meta:
        model = Complaint
        fields = ["id", "category", "customer", "level", "status", "level_due_on", "opened_at",
                  "opened_by"]  # fmt: skip
        empty_text = "No complaints match these filters."


class SpotCheckTable(tables.Table):
    subject = tables.Column(verbose_name="What")
    object_id = tables.Column(verbose_name="Record")
    staff = StaffColumn(verbose_name="Whose work")
    score = tables.Column(verbose_name="Score %")
    checked_by = StaffColumn(verbose_name="Checked by")
    checked_at = tables.DateTimeColumn(verbose_name="Checked")
    comment = tables.Column()

    class Meta:
        model = SpotCheck
        fields = ["subject", "object_id", "staff", "score", "checked_by", "checked_at", "comment"]
        empty_text = "No spot checks yet."


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

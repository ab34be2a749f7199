import django_tables2 as tables

from mesa_cs.lib.columns import DayColumn, StaffColumn
from mesa_cs.lib.formatting import code_label
from staffing.models import WorkItem


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

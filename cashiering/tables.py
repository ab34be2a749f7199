import django_tables2 as tables

from cashiering.models import SuspenseItem
from mesa_cs.lib.columns import MoneyColumn, StaffColumn


class SuspenseTable(tables.Table):
    applied_account = tables.Column(
        accessor="applied_account__number", verbose_name="Applied to", default="—"
    )
    resolved_by = StaffColumn(accessor="resolved_by", verbose_name="Resolved by", default="—")
    act = tables.TemplateColumn(
        template_name="cashiering/_suspense_act.html",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = SuspenseItem
        fields = [
            "received_on",
            "kind",
            "source",
            "item_ref",
            "account_number",
            "amount",
            "payer_name",
            "reason",
            "status",
            "applied_account",
            "resolved_by",
            "act",
        ]
        empty_text = "Nothing is held in suspense."


class DailyCashTable(tables.Table):
    office = tables.Column()
    source = tables.Column()
    tender = tables.Column()
    amount = MoneyColumn()

    class Meta:
        empty_text = "No payments that day."

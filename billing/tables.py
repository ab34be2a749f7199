import django_tables2 as tables

from billing.models import Adjustment
from mesa_cs.lib.columns import StaffColumn


class AdjustmentTable(tables.Table):
    account = tables.Column(accessor="account__number", verbose_name="Account")
    requested_by = StaffColumn(accessor="requested_by", verbose_name="Requested by")
    decided_by = StaffColumn(accessor="decided_by", verbose_name="Decided by", default="—")
    decide = tables.TemplateColumn(
        template_name="billing/_adjustment_decide.html",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = Adjustment
        fields = [
            "requested_at",
            "account",
            "utility",
            "amount",
            "reason",
            "note",
            "status",
            "requested_by",
            "decided_by",
            "decide",
        ]
        empty_text = "No adjustments match."

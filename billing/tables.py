import django_tables2 as tables

from billing.models import Adjustment


class AdjustmentTable(tables.Table):
    account = tables.Column(accessor="account__number", verbose_name="Account")
    requested_by = tables.Column(accessor="requested_by__username", verbose_name="Requested by")
    decided_by = tables.Column(
        accessor="decided_by__username", verbose_name="Decided by", default="—"
    )
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

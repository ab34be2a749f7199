from decimal import Decimal

import django_tables2 as tables

from accounts.models import Utility
from billing.models import Adjustment
from mesa_cs.lib.formatting import money_text


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


class MoneyColumn(tables.Column):
    """An amount: right-aligned, written ``$1,234.56``, with the column's
    total in the footer; exports keep the number, so a spreadsheet can add it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "attrs",
            {
                "th": {"class": "text-end"},
                "td": {"class": "text-end font-monospace text-nowrap"},
                "tf": {"class": "text-end font-monospace text-nowrap fw-bold"},
            },
        )
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def render(self, value):
        return money_text(value)

    def value(self, value):
        return value

    def render_footer(self, bound_column, table):
        return money_text(sum((row.get(bound_column.name) or 0 for row in table.data), Decimal(0)))


def register_table(amounts: tuple[str, ...]) -> type[tables.Table]:
    """The billing register's table: its columns in a fixed order, every
    amount a ``MoneyColumn`` totalled in the footer."""
    labels = {
        **dict(Utility.choices),
        "current_charges": "Current charges",
        "amount_due": "Amount due",
    }
    columns = {
        "account": tables.Column(verbose_name="Account", footer="Total"),
        "name": tables.Column(verbose_name="Name"),
        "bill": tables.Column(verbose_name="Bill"),
        "period": tables.Column(verbose_name="Period", attrs={"td": {"class": "text-nowrap"}}),
        "status": tables.Column(verbose_name="Status"),
        **{name: MoneyColumn(verbose_name=labels[name]) for name in amounts},
    }
    return type(
        "RegisterTable",
        (tables.Table,),
        {**columns, "Meta": type("Meta", (), {"orderable": False})},
    )

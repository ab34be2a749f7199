import django_tables2 as tables

from accounts.models import Deposit
from mesa_cs.lib.columns import MoneyColumn, StaffColumn


class DepositTable(tables.Table):
    account = tables.TemplateColumn(
        "<a href=\"{% url 'accounts:detail' record.account.number %}?tab=deposits\">"
        "{{ record.account.number }}</a>",
        accessor="account__number",
        verbose_name="Account",
    )
    amount = MoneyColumn()
    # Kept for the export, hidden on screen so the list stays readable.
    released_by = StaffColumn(
        accessor="released_by", verbose_name="Released by", default="—", visible=False
    )
    installments = tables.Column(visible=False)
    bond_expires_on = tables.Column(visible=False)
    reason = tables.Column(attrs={"td": {"class": "small"}})

    class Meta:
        model = Deposit
        fields = [
            "account",
            "required_on",
            "form",
            "amount",
            "installments",
            "reason",
            "status",
            "released_on",
            "released_by",
            "bond_reference",
            "bond_expires_on",
        ]
        empty_text = "No deposits match."

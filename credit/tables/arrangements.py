import django_tables2 as tables

from credit.models import PaymentArrangement, Pledge
from mesa_cs.lib.columns import MoneyColumn, StaffColumn


class ArrangementTable(tables.Table):
    account = tables.TemplateColumn(
        "<a href=\"{% url 'credit:arrangement' record.account.number %}\">"
        "{{ record.account.number }}</a>",
        accessor="account__number",
        verbose_name="Account",
    )
    amount = MoneyColumn()
    down_payment = MoneyColumn()
    made_by = StaffColumn(accessor="made_by", verbose_name="Made by")
    approved_by = StaffColumn(
        accessor="approved_by", verbose_name="Override approved by", default="—"
    )
    # Kept for the export, hidden on screen so the list stays readable.
    override_reason = tables.Column(visible=False)
    account_name = tables.Column(accessor="account__name", verbose_name="Name", visible=False)

    class Meta:
        model = PaymentArrangement
        fields = [
            "account",
            "account_name",
            "made_on",
            "amount",
            "down_payment",
            "months",
            "status",
            "ended_on",
            "made_by",
            "approved_by",
            "override_reason",
        ]
        empty_text = "No arrangements match."


class PledgeTable(tables.Table):
    account = tables.TemplateColumn(
        "<a href=\"{% url 'credit:pledge_new' record.account.number %}\">"
        "{{ record.account.number }}</a>",
        accessor="account__number",
        verbose_name="Account",
    )
    amount = MoneyColumn()
    recorded_by = StaffColumn(accessor="recorded_by", verbose_name="Recorded by")
    account_name = tables.Column(accessor="account__name", verbose_name="Name", visible=False)

    class Meta:
        model = Pledge
        fields = [
            "account",
            "account_name",
            "agency",
            "amount",
            "pledged_on",
            "expires_on",
            "status",
            "reference",
            "recorded_by",
        ]
        empty_text = "No pledges match."

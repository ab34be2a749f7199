import django_tables2 as tables

from credit.models import AgencyReferral, Bankruptcy, WriteOff
from mesa_cs.lib.columns import DayColumn, MoneyColumn, StaffColumn


class BankruptcyTable(tables.Table):
    case_number = tables.TemplateColumn(
        "<a href=\"{% url 'credit:bankruptcy' record.pk %}\">{{ record.case_number }}</a>",
        verbose_name="Case",
    )
    account = tables.TemplateColumn(
        "<a href=\"{% url 'accounts:detail' record.account.number %}\">"
        "{{ record.account.number }}</a>",
        accessor="account__number",
        verbose_name="Account",
    )
    pre_petition_balance = MoneyColumn(verbose_name="Frozen pre-petition")
    court = tables.Column(visible=False)
    recorded_by = StaffColumn(accessor="recorded_by", verbose_name="Recorded by")

    class Meta:
        model = Bankruptcy
        fields = [
            "case_number",
            "account",
            "chapter",
            "court",
            "petition_on",
            "pre_petition_balance",
            "status",
            "closed_on",
            "recorded_by",
        ]
        empty_text = "No bankruptcies match."


class WriteOffTable(tables.Table):
    account = tables.TemplateColumn(
        "<a href=\"{% url 'credit:write_off_account' record.account.number %}\">"
        "{{ record.account.number }}</a>",
        accessor="account__number",
        verbose_name="Account",
    )
    amount = MoneyColumn()
    requested_by = StaffColumn(accessor="requested_by", verbose_name="Requested by")
    decided_by = StaffColumn(accessor="decided_by", verbose_name="Decided by", default="—")
    decide = tables.TemplateColumn(
        template_name="credit/_write_off_decide.html",
        verbose_name="Decision",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = WriteOff
        fields = [
            "requested_at",
            "account",
            "amount",
            "reason",
            "status",
            "requested_by",
            "decided_by",
            "decided_at",
            "decide",
        ]
        empty_text = "No write-offs match."


class ReferralTable(tables.Table):
    account = tables.TemplateColumn(
        "<a href=\"{% url 'accounts:detail' record.account.number %}\">"
        "{{ record.account.number }}</a>",
        accessor="account__number",
        verbose_name="Account",
    )
    debtor = tables.Column(accessor="itemisation__debtor_name", verbose_name="Debtor")
    itemization_date = DayColumn(
        accessor="itemisation__itemization_date", verbose_name="Itemisation date"
    )
    amount_then = MoneyColumn(
        accessor="itemisation__amount_on_itemization_date", verbose_name="Owed then"
    )
    fees = MoneyColumn(accessor="itemisation__fees", verbose_name="Fees since", visible=False)
    payments = MoneyColumn(
        accessor="itemisation__payments", verbose_name="Payments since", visible=False
    )
    credits = MoneyColumn(
        accessor="itemisation__credits", verbose_name="Credits since", visible=False
    )
    amount = MoneyColumn(verbose_name="Referred")
    recall = tables.TemplateColumn(
        template_name="credit/_referral_recall.html",
        verbose_name="Recall",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = AgencyReferral
        fields = [
            "referred_on",
            "account",
            "debtor",
            "itemization_date",
            "amount_then",
            "fees",
            "payments",
            "credits",
            "amount",
            "recalled_on",
            "recall",
        ]
        empty_text = "No referrals match."

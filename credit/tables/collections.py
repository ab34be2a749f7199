import django_tables2 as tables

from credit.models import CollectionState
from credit.services.collections import hold_label
from mesa_cs.lib.columns import DayColumn, MoneyColumn


class WorklistTable(tables.Table):
    account = tables.TemplateColumn(
        "<a href=\"{% url 'accounts:detail' record.account.number %}?tab=collections\">"
        "{{ record.account.number }}</a>",
        accessor="account__number",
        verbose_name="Account",
    )
    name = tables.Column(accessor="account__name", verbose_name="Name")
    customer_class = tables.Column(accessor="account__customer_class", verbose_name="Class")
    past_due = MoneyColumn()
    step = tables.Column(accessor="step__action", verbose_name="Step", default="—")
    step_on = DayColumn(verbose_name="Since")
    held_by = tables.Column(verbose_name="Stopped by", default="—")

    def render_step(self, record):
        return record.step.get_action_display() if record.step else "—"

    def render_held_by(self, value):
        return hold_label(value)

    class Meta:
        model = CollectionState
        fields = ["account", "name", "customer_class", "past_due", "step", "step_on", "held_by"]
        empty_text = "No account is on a collection ladder."

"""The rate scenario form (docs/rate_modelling.md): a name, an effective date
and up to CHANGE_ROWS change lines."""

from __future__ import annotations

from django import forms

from billing.rules.rate_model import Change
from mesa_cs.lib.forms import NoCardNumbers

CHANGE_ROWS = 6
DATE = forms.DateInput(attrs={"type": "date"})


class ScenarioForm(NoCardNumbers, forms.Form):
    no_card_fields = ("name", "note")

    name = forms.CharField(
        label="Scenario name", max_length=100, help_text="e.g. FY28 barrels +3.5 %"
    )
    effective = forms.DateField(
        label="Effective date", widget=DATE, help_text="The day the proposed prices would apply"
    )
    note = forms.CharField(
        label="Note for the memo",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ChangeForm(NoCardNumbers, forms.Form):
    no_card_fields = ("component", "key")

    schedule = forms.ChoiceField(label="Schedule", required=False)
    component = forms.CharField(
        label="Component",
        max_length=100,
        required=False,
        help_text="Blank: every price of the schedule",
    )
    key = forms.CharField(
        label="Meter size or service code",
        max_length=10,
        required=False,
        help_text="e.g. 4yd:2; blank: all",
    )
    percent = forms.DecimalField(
        label="Percent", max_digits=6, decimal_places=2, required=False, help_text="e.g. 3.5"
    )
    new_price = forms.DecimalField(
        label="New price", max_digits=12, decimal_places=4, min_value=0, required=False
    )

    def __init__(self, *args, schedules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schedule"].choices = [("", "—")] + [
            (s.code, f"{s.code} {s.name}") for s in schedules
        ]

    def clean(self):
        data = super().clean()
        if not data.get("schedule"):
            return data
        if (data.get("percent") is None) == (data.get("new_price") is None):
            raise forms.ValidationError("Give a percent or a new price, not both.")
        return data

    def change(self) -> Change | None:
        data = self.cleaned_data
        if not data.get("schedule"):
            return None
        return Change(
            schedule=data["schedule"],
            component=data.get("component", "").strip(),
            key=data.get("key", "").strip(),
            percent=data.get("percent"),
            new_price=data.get("new_price"),
        )


ChangeFormSet = forms.formset_factory(ChangeForm, extra=CHANGE_ROWS, max_num=CHANGE_ROWS)


class ApprovalRequestForm(NoCardNumbers, forms.Form):
    no_card_fields = ("note",)

    note = forms.CharField(
        label="Note for the approver",
        max_length=300,
        required=False,
        help_text="e.g. the council's action and date",
    )

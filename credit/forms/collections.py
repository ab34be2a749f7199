from django import forms
from django.conf import settings
from django.utils import timezone

from credit.models import HeatDay, Hold
from mesa_cs.lib.dates import add_months, not_in_future
from mesa_cs.lib.forms import NoCardNumbers

DATE = forms.DateInput(attrs={"type": "date"})
# Holds a representative places by hand; the others come from their records.
MANUAL_HOLDS = [
    (Hold.Kind.MEDICAL, Hold.Kind.MEDICAL.label),
    (Hold.Kind.DISPUTE, Hold.Kind.DISPUTE.label),
    (Hold.Kind.SUPERVISOR, Hold.Kind.SUPERVISOR.label),
]


class RunForm(forms.Form):
    run_on = forms.DateField(label="Run collections for", widget=DATE, validators=[not_in_future])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("run_on", timezone.localdate())


class HoldForm(NoCardNumbers, forms.Form):
    no_card_fields = ("reason",)

    kind = forms.ChoiceField(label="Hold", choices=MANUAL_HOLDS)
    reason = forms.CharField(label="Reason", max_length=200)
    ends_on = forms.DateField(
        label="Last day held",
        widget=DATE,
        required=False,
        help_text="A medical certificate holds for a year from its date.",
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Hold.Kind.MEDICAL and not data.get("ends_on"):
            today = timezone.localdate()
            data["ends_on"] = add_months(today, settings.MEDICAL_HOLD_MONTHS)
        return data


class HeatDayForm(NoCardNumbers, forms.ModelForm):
    no_card_fields = ("note",)

    class Meta:
        model = HeatDay
        fields = ["day", "kind", "note"]
        widgets = {"day": DATE}

from django import forms

from .models import Meter


class CompleteActivityForm(forms.Form):
    completed_on = forms.DateField(label="Done on", widget=forms.DateInput(attrs={"type": "date"}))
    register = forms.DecimalField(
        label="Register read", required=False, decimal_places=2, min_value=0
    )
    new_meter = forms.CharField(label="New meter number (exchange)", required=False, max_length=20)
    new_register = forms.DecimalField(
        label="New meter register (exchange)", required=False, min_value=0
    )
    meter_error_percent = forms.DecimalField(
        label="Meter test error (%)", required=False, max_digits=5, decimal_places=2,
        help_text="0 if accurate; positive if the meter runs fast, negative if slow",
    )  # fmt: skip
    outcome = forms.CharField(
        label="Result (meter test, investigation)", required=False, max_length=120
    )
    notes = forms.CharField(
        label="Crew notes", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_new_meter(self):
        number = self.cleaned_data["new_meter"].strip().upper()
        if not number:
            return None
        meter = Meter.objects.filter(number=number).first()
        if meter is None:
            raise forms.ValidationError(f"No meter {number} in stock.")
        return meter

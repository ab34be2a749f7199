from datetime import timedelta

from django import forms
from django.utils import timezone

from accounts.models import FieldActivity, Meter
from accounts.services.field import CLERK_KINDS, METER_KINDS, READ_KINDS
from mesa_cs.lib.dates import not_in_future
from mesa_cs.lib.forms import NoCardNumbers

DATE = forms.DateInput(attrs={"type": "date"})


class ServiceSelect(forms.Select):
    """Marks the services without a meter, which the page withdraws while
    meter work is chosen (static/js/app.js)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.no_meter: set[int] = set()

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.no_meter:
            option["attrs"]["data-no-meter"] = ""
        return option


class FieldOrderForm(NoCardNumbers, forms.Form):
    """Field work a clerk orders on one of the account's open services."""

    no_card_fields = ("notes",)

    key = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label="Work",
        choices=[(k.value, k.label) for k in CLERK_KINDS],
        widget=forms.Select(attrs={"data-meter-kinds": " ".join(sorted(METER_KINDS))}),
    )
    agreement = forms.TypedChoiceField(label="Service", coerce=int, widget=ServiceSelect)
    scheduled_on = forms.DateField(label="Date", widget=DATE)
    same_day = forms.BooleanField(label="Same-day or after-hours", required=False)
    notes = forms.CharField(
        label="Notes for the crew",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the customer reported, gate codes, dogs, a phone number to call first.",
    )

    def __init__(self, *args, agreements, metered=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agreements = {sa.pk: sa for sa in agreements}
        self.metered = metered
        self.fields["agreement"].choices = [
            (
                sa.pk,
                f"{sa.get_utility_display()} at {sa.premise.address_line}"
                + ("" if sa.pk in metered else " (no meter)"),
            )
            for sa in agreements
        ]
        self.fields["agreement"].widget.no_meter = set(self.agreements) - set(metered)
        self.fields["scheduled_on"].initial = timezone.localdate() + timedelta(days=1)

    def clean_agreement(self):
        return self.agreements[self.cleaned_data["agreement"]]

    def clean(self):
        data = super().clean()
        agreement = data.get("agreement")
        if data.get("kind") in METER_KINDS and agreement and agreement.pk not in self.metered:
            self.add_error(
                "agreement",
                f"The {agreement.get_utility_display().lower()} service has no meter: "
                "meter work needs a metered service.",
            )
        return data


class CancelActivityForm(NoCardNumbers, forms.Form):
    no_card_fields = ("reason",)

    reason = forms.CharField(label="Why cancel", max_length=200)


class CompleteActivityForm(NoCardNumbers, forms.Form):
    no_card_fields = ("outcome", "notes")

    completed_on = forms.DateField(
        label="Done on", widget=forms.DateInput(attrs={"type": "date"}), validators=[not_in_future]
    )
    register = forms.DecimalField(
        label="Register read", required=False, decimal_places=2, min_value=0
    )
    new_meter = forms.CharField(label="New meter number (exchange)", required=False, max_length=20)
    new_register = forms.DecimalField(
        label="New meter register (exchange)", required=False, min_value=0
    )
    meter_error_percent = forms.DecimalField(
        label="Meter test error (%)",
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text="0 if accurate; positive if the meter runs fast, negative if slow",
    )
    outcome = forms.CharField(
        label="Result (meter test, investigation)", required=False, max_length=120
    )
    notes = forms.CharField(
        label="Crew notes", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    # What each kind of work records, beside the day and the crew's notes.
    KIND_FIELDS = {
        **dict.fromkeys(READ_KINDS, ("register",)),
        FieldActivity.Kind.METER_EXCHANGE: ("register", "new_meter", "new_register"),
        FieldActivity.Kind.METER_TEST: ("meter_error_percent", "outcome"),
        FieldActivity.Kind.HIGH_BILL: ("outcome",),
        FieldActivity.Kind.DOOR_HANGER: (),
    }

    def __init__(self, *args, kind: str | None = None, **kwargs):
        """With the work's ``kind``, only the fields that work records."""
        super().__init__(*args, **kwargs)
        if kind in self.KIND_FIELDS:
            keep = {"completed_on", "notes", *self.KIND_FIELDS[kind]}
            for name in [n for n in self.fields if n not in keep]:
                del self.fields[name]
        if kind == FieldActivity.Kind.METER_EXCHANGE:
            self.fields["register"].label = "Old meter's last register"
        if kind in (FieldActivity.Kind.METER_TEST, FieldActivity.Kind.HIGH_BILL):
            self.fields["outcome"].label = "Result"

    def clean_new_meter(self):
        number = self.cleaned_data["new_meter"].strip().upper()
        if not number:
            return None
        meter = Meter.objects.filter(number=number).first()
        if meter is None:
            raise forms.ValidationError(f"No meter {number} in stock.")
        return meter

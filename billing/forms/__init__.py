from django import forms
from django.utils import timezone

from accounts.validators import validate_account_number
from billing.models import RateBookMeta, RateSchedule
from billing.rules.cycles import CYCLES, read_date
from mesa_cs.lib.dates import today
from mesa_cs.lib.forms import NoCardNumbers
from mesa_cs.lib.imports import import_file_help, import_file_validator

_DATE = {"type": "date"}


class CalculatorForm(forms.Form):
    schedule = forms.ModelChoiceField(
        queryset=RateSchedule.objects.all(), to_field_name="code", label="Rate schedule"
    )
    start = forms.DateField(label="Previous read date", widget=forms.DateInput(attrs=_DATE))
    end = forms.DateField(label="This read date", widget=forms.DateInput(attrs=_DATE))
    usage = forms.DecimalField(label="Usage", min_value=0, decimal_places=2, initial=0)
    meter_size = forms.ChoiceField(label="Meter size", required=False)
    quantity = forms.IntegerField(label="Containers", min_value=1, initial=1)
    service = forms.CharField(
        label="Service code", required=False, help_text="Commercial bins, e.g. 4yd:2"
    )
    acres = forms.DecimalField(label="Irrigated acres", required=False, min_value=0)
    winter_average = forms.DecimalField(
        label="Winter average", required=False, min_value=0, help_text="Empty: the schedule default"
    )
    programs = forms.MultipleChoiceField(
        label="Programs",
        required=False,
        choices=[("SEA", "Summer Electric Assistance"), ("LISR", "Limited Income Senior Rate")],
        widget=forms.CheckboxSelectMultiple,
    )
    account = forms.CharField(
        label="Account number (optional)",
        required=False,
        validators=[validate_account_number],
        help_text="Compare with this account's charges for the same service, read in the same month last year",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meta = RateBookMeta.objects.first()
        sizes = meta.meter_sizes if meta else []
        self.fields["meter_size"].choices = [("", "—")] + [(s, f'{s}"') for s in sizes]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", "The read date must be after the previous read date.")
        return cleaned


class BillRunForm(forms.Form):
    cycle = forms.ChoiceField(
        label="Cycle",
        choices=[("all", "All cycles")] + [(str(n), f"Cycle {n}") for n in range(1, 21)],
    )
    bill_on = forms.DateField(label="Bill date", widget=forms.DateInput(attrs=_DATE))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A hint for the date picker; bill_run_start refuses a later date.
        self.fields["bill_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class AdjustmentForm(NoCardNumbers, forms.Form):
    no_card_fields = ("note",)

    account = forms.CharField(label="Account number", validators=[validate_account_number])
    amount = forms.DecimalField(
        label="Amount",
        decimal_places=2,
        max_digits=12,
        help_text="Negative for a credit to the customer, positive for a charge.",
    )
    utility = forms.ChoiceField(label="Utility", required=False)
    reason = forms.ChoiceField(label="Reason")
    note = forms.CharField(
        label="Explanation", max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        from accounts.models import Utility
        from billing.models import Adjustment

        super().__init__(*args, **kwargs)
        self.fields["utility"].choices = [("", "Account level (fees)"), *Utility.choices]
        self.fields["reason"].choices = Adjustment.Reason.choices

    def clean_account(self):
        from accounts.selectors import account_by_number

        account = account_by_number(self.cleaned_data["account"])
        if account is None:
            raise forms.ValidationError("No account has this number.")
        return account


class DecisionForm(NoCardNumbers, forms.Form):
    no_card_fields = ("why",)

    why = forms.CharField(label="Reason for rejecting", max_length=200, required=False)


class CancelRebillForm(NoCardNumbers, forms.Form):
    no_card_fields = ("reason",)

    reason = forms.CharField(label="Why cancel and rebill", max_length=200)


class ReadRouteForm(forms.Form):
    cycle = forms.IntegerField(label="Cycle", min_value=1, max_value=20)
    route = forms.ChoiceField(label="Route (service area)", required=False)
    read_on = forms.DateField(label="Read date", widget=forms.DateInput(attrs=_DATE))

    def __init__(self, *args, **kwargs):
        from accounts.selectors.accounts import service_areas

        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [("", "All routes")] + [(a, a) for a in service_areas()]
        # The page opens on today's reads: today's date, and the cycle read today.
        on = today()
        self.fields["read_on"].initial = on
        self.fields["cycle"].initial = next(
            (n for n in range(1, CYCLES + 1) if read_date(on.year, on.month, n) == on), None
        )


class ReadImportForm(forms.Form):
    file = forms.FileField(label="Read file (CSV)", validators=[import_file_validator])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = import_file_help("meter_number,read_on,register,source.")

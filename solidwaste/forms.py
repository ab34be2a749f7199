"""Route production's forms: a crew sheet line, a production file, and the
report period (every field a choice, a number or a date); and the container
and order forms, whose free text (a tag, a reason, notes) refuses card
numbers."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from accounts.models import ServiceAgreement
from mesa_cs.lib.dates import not_in_future, today
from mesa_cs.lib.forms import NoCardNumbers
from mesa_cs.lib.imports import import_file_help, import_file_validator
from solidwaste.models import ContainerKind, CrewMember, OrderKind, RollOffSize, Route, Truck
from solidwaste.rules.production import MAX_DAY_HOURS, MAX_LIFTS, MAX_STOPS, MAX_TONS
from solidwaste.services.production import HEADER

DATE = forms.DateInput(attrs={"type": "date"})


class EntryForm(forms.Form):
    work_on = forms.DateField(
        label="Work date", widget=DATE, validators=[not_in_future], initial=today
    )
    route = forms.ModelChoiceField(label="Route", queryset=Route.objects.filter(active=True))
    truck = forms.ModelChoiceField(label="Truck", queryset=Truck.objects.filter(active=True))
    operator = forms.ModelChoiceField(
        label="Operator", queryset=CrewMember.objects.filter(active=True)
    )
    lifts = forms.IntegerField(label="Lifts", min_value=0, max_value=MAX_LIFTS)
    stops = forms.IntegerField(label="Stops", min_value=0, max_value=MAX_STOPS)
    tons = forms.DecimalField(
        label="Tons", min_value=0, max_value=MAX_TONS, max_digits=4, decimal_places=2
    )
    hours = forms.DecimalField(
        label="Hours",
        min_value=Decimal("0.25"),
        max_value=MAX_DAY_HOURS,
        max_digits=4,
        decimal_places=2,
    )
    misses = forms.IntegerField(label="Missed pickups", min_value=0, max_value=MAX_STOPS, initial=0)
    overtime_hours = forms.DecimalField(
        label="Overtime on the crew sheet",
        min_value=0,
        max_value=MAX_DAY_HOURS,
        max_digits=4,
        decimal_places=2,
        initial=0,
        help_text="As the foreman wrote it; payroll pays overtime by the rule.",
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        validators=[import_file_validator],
        help_text=import_file_help("UTF-8 CSV with the header row: " + ",".join(HEADER) + "."),
    )


class PeriodForm(forms.Form):
    """A report's day or month; a day after today is refused."""

    period = forms.ChoiceField(
        label="Report for", choices=[("month", "A month"), ("day", "A day")], initial="month"
    )
    day = forms.DateField(
        label="Day (any day of the month)",
        widget=DATE,
        validators=[not_in_future],
        initial=today,
    )


class KpiForm(forms.Form):
    start = forms.DateField(label="From", widget=DATE)
    end = forms.DateField(label="To", widget=DATE)
    by = forms.ChoiceField(
        label="By",
        choices=[("route", "Route"), ("operator", "Operator"), ("truck", "Truck"), ("day", "Day")],
    )


# --- Container services and one-time orders -------------------------------------------


class ServiceChoice:
    """A form choosing one of the premise's open solid-waste services."""

    def __init__(self, *args, agreements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.fields["agreement"].label_from_instance = service_label


class DeliverForm(ServiceChoice, NoCardNumbers, forms.Form):
    no_card_fields = ("tag",)

    agreement = forms.ModelChoiceField(label="Service", queryset=ServiceAgreement.objects.none())
    kind = forms.ChoiceField(label="Container", choices=ContainerKind.choices)
    size = forms.ChoiceField(
        label="Roll-off size", choices=[("", "—"), *RollOffSize.choices], required=False
    )
    tag = forms.CharField(label="Container tag", max_length=20, required=False)
    delivered_on = forms.DateField(
        label="Delivered on", widget=DATE, validators=[not_in_future], initial=today
    )


class RemoveForm(NoCardNumbers, forms.Form):
    no_card_fields = ("reason",)

    removed_on = forms.DateField(
        label="Removed on", widget=DATE, validators=[not_in_future], initial=today
    )
    reason = forms.CharField(label="Reason", max_length=200)


class OrderCompleteForm(forms.Form):
    completed_on = forms.DateField(
        label="Done on", widget=DATE, validators=[not_in_future], initial=today
    )


class OrderCancelForm(NoCardNumbers, forms.Form):
    no_card_fields = ("reason",)

    reason = forms.CharField(label="Reason for cancelling", max_length=300)


class GreenStopForm(forms.Form):
    stops_on = forms.DateField(label="Stop on", widget=DATE, initial=today)


class OrderForm(ServiceChoice, NoCardNumbers, forms.Form):
    no_card_fields = ("notes",)

    agreement = forms.ModelChoiceField(label="Service", queryset=ServiceAgreement.objects.none())
    kind = forms.ChoiceField(label="Order", choices=OrderKind.choices)
    scheduled_on = forms.DateField(label="Pickup date", widget=DATE)
    loads = forms.IntegerField(
        label="Loads or containers",
        min_value=1,
        max_value=10,
        initial=1,
        help_text="Bulk: loads of 4 × 8 × 4 ft (up to 4); extra pickup: containers.",
    )
    pounds = forms.IntegerField(
        label="Pounds (landfill load)", min_value=1, max_value=9999, required=False
    )
    roll_off_size = forms.ChoiceField(
        label="Roll-off size", choices=[("", "—"), *RollOffSize.choices], required=False
    )
    delivery = forms.BooleanField(label="Roll-off delivery", required=False)
    pull = forms.BooleanField(label="Roll-off pull", required=False)
    tons = forms.DecimalField(
        label="Disposal tons (with the pull)",
        min_value=0,
        max_value=40,
        max_digits=4,
        decimal_places=2,
        required=False,
    )
    rental_days = forms.IntegerField(label="Rental days", min_value=0, max_value=90, required=False)
    notes = forms.CharField(label="Notes for the crew", max_length=300, required=False)


def service_label(sa) -> str:
    code = f" {sa.service_code}" if sa.service_code else ""
    return f"{sa.rate_schedule}{code} × {sa.containers or 1}, account {sa.account.number}"


# --- Routes, trucks and crew (EMS supervisors) ---------------------------------------


def _active_foremen():
    return CrewMember.objects.filter(position=CrewMember.Position.FOREMAN, active=True)


class RouteForm(NoCardNumbers, forms.ModelForm):
    no_card_fields = ("name",)

    class Meta:
        model = Route
        fields = [
            "code", "name", "service_line", "service_area", "foreman", "daily_lift_target",
            "active",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["foreman"].queryset = _active_foremen()

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class TruckForm(forms.ModelForm):
    class Meta:
        model = Truck
        fields = ["number", "kind", "active"]

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()


class CrewMemberForm(NoCardNumbers, forms.ModelForm):
    no_card_fields = ("name",)

    class Meta:
        model = CrewMember
        fields = ["employee_number", "name", "position", "foreman", "active"]
        labels = {"foreman": "Reports to (foreman)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        foremen = _active_foremen()
        if self.instance.pk:
            foremen = foremen.exclude(pk=self.instance.pk)
        self.fields["foreman"].queryset = foremen

"""Route production's forms: a crew sheet line, a production file, and the
report period. There is no free text to check for card numbers here: every
field is a choice, a number or a date."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from mesa_cs.lib.dates import not_in_future, today
from mesa_cs.lib.imports import import_file_help, import_file_validator
from solidwaste.models import CrewMember, Route, Truck
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

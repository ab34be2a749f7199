"""The contact center's forms: the phone system's interval file, and the
service-level page's filters (every field a choice or a date)."""

from __future__ import annotations

from django import forms

from mesa_cs.lib.dates import not_in_future
from mesa_cs.lib.imports import import_file_help, import_file_validator
from staffing.intervals import HEADER
from staffing.selectors_calls import GROUPS

DATE = forms.DateInput(attrs={"type": "date"})


class IntervalUploadForm(forms.Form):
    file = forms.FileField(
        label="Interval file (CSV)",
        validators=[import_file_validator],
        help_text=import_file_help("UTF-8 CSV with the header row: " + ",".join(HEADER) + "."),
    )


class ServiceLevelFilterForm(forms.Form):
    """The period, the grouping, and optionally one queue or one agent."""

    start = forms.DateField(label="From", widget=DATE, validators=[not_in_future])
    end = forms.DateField(label="To", widget=DATE, validators=[not_in_future])
    by = forms.ChoiceField(label="By", choices=list(GROUPS.items()))
    queue = forms.ChoiceField(label="Queue", required=False)
    agent = forms.ChoiceField(label="Agent", required=False)

    def __init__(self, *args, queues=(), agents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].choices = [("", "All queues"), *((q, q) for q in queues)]
        self.fields["agent"].choices = [("", "All agents"), *agents]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The last day cannot be before the first.")
        return data

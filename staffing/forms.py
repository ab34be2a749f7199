from __future__ import annotations

from django import forms

from mesa_cs.lib.dates import not_in_future
from mesa_cs.lib.forms import NoCardNumbers
from mesa_cs.lib.imports import import_file_help, import_file_validator
from staffing.models import Complaint, Section, SpotCheckSubject, WorkItemNote
from staffing.selectors.calls import GROUPS
from staffing.services.intervals import HEADER


class WorkItemNoteForm(NoCardNumbers, forms.ModelForm):
    no_card_fields = ("text",)

    class Meta:
        model = WorkItemNote
        fields = ["text"]
        labels = {"text": "Note"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class WorkItemCloseForm(NoCardNumbers, forms.Form):
    no_card_fields = ("outcome", "note")

    outcome = forms.CharField(
        max_length=200,
        label="Outcome",
        help_text="How it was resolved, e.g. 'Re-read ordered' or 'Applied to account'.",
    )
    note = forms.CharField(
        required=False, label="Closing note", widget=forms.Textarea(attrs={"rows": 2})
    )


class ApprovalDecisionForm(NoCardNumbers, forms.Form):
    no_card_fields = ("reason",)

    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
    reason = forms.CharField(
        max_length=200,
        required=False,
        label="Reason",
        help_text="Needed to decline; kept on the work item either way.",
    )


class WorkItemAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=None, label="Assign to", required=False, empty_label="Choose a person"
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username


class WorkItemTransferForm(NoCardNumbers, forms.Form):
    no_card_fields = ("reason",)

    section = forms.ChoiceField(choices=Section.choices, label="Send to the queue of")
    reason = forms.CharField(max_length=200, label="Why it goes there")


class ComplaintForm(NoCardNumbers, forms.Form):
    no_card_fields = ("customer_name", "description")

    account_number = forms.CharField(
        label="Account number", max_length=10, required=False, help_text="Blank if they have none"
    )
    customer_name = forms.CharField(
        label="Customer's name",
        max_length=120,
        required=False,
        help_text="When there is no account",
    )
    channel = forms.ChoiceField(label="How it came in", choices=Complaint.Channel.choices)
    category = forms.ChoiceField(label="Category", choices=Complaint.Category.choices)
    description = forms.CharField(
        label="What the customer complains of", widget=forms.Textarea(attrs={"rows": 4})
    )


class ComplaintNoteForm(NoCardNumbers, forms.Form):
    no_card_fields = ("text",)
    prefix = "note"

    text = forms.CharField(label="What you found", widget=forms.Textarea(attrs={"rows": 3}))


class ComplaintResponseForm(NoCardNumbers, forms.Form):
    no_card_fields = ("text",)
    prefix = "respond"

    text = forms.CharField(label="The written response", widget=forms.Textarea(attrs={"rows": 5}))


class ComplaintEscalateForm(NoCardNumbers, forms.Form):
    no_card_fields = ("reason",)

    reason = forms.CharField(label="Why it goes up a level", max_length=200)


class ComplaintCloseForm(NoCardNumbers, forms.Form):
    no_card_fields = ("resolution",)

    root_cause = forms.ChoiceField(
        label="Root cause", choices=[("", "Choose…"), *Complaint.RootCause.choices]
    )
    resolution = forms.CharField(label="What was done", max_length=300)


class SpotCheckForm(NoCardNumbers, forms.Form):
    no_card_fields = ("comment",)

    passed = forms.MultipleChoiceField(
        label="Met", required=False, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(label="Comment for the staff member", max_length=300, required=False)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["passed"].choices = [(str(q.pk), q.text) for q in questions]


class SpotSampleForm(forms.Form):
    subject = forms.ChoiceField(label="Kind of work to sample", choices=SpotCheckSubject.choices)
    days = forms.IntegerField(label="Done in the last (days)", min_value=1, max_value=90, initial=7)


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

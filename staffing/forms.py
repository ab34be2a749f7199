from django import forms

from mesa_cs.lib.forms import NoCardNumbers
from staffing.models import Complaint, Section, SpotCheckSubject, WorkItemNote


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


class ComplaintTextForm(NoCardNumbers, forms.Form):
    no_card_fields = ("text",)

    text = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 3}))


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

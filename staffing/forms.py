from django import forms

from .models import WorkItemNote


class WorkItemNoteForm(forms.ModelForm):
    class Meta:
        model = WorkItemNote
        fields = ["text"]
        labels = {"text": "Note"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class WorkItemCloseForm(forms.Form):
    outcome = forms.CharField(
        max_length=200,
        label="Outcome",
        help_text="How it was resolved, e.g. 'Re-read ordered' or 'Applied to account'.",
    )
    note = forms.CharField(
        required=False, label="Closing note", widget=forms.Textarea(attrs={"rows": 2})
    )

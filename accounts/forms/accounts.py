from django import forms

from accounts.models import AccountNote, Contact, JournalEntry
from mesa_cs.lib.forms import NoCardNumbers


class ContactForm(NoCardNumbers, forms.ModelForm):
    no_card_fields = ("notes",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the letter flows log an automatic letter; a clerk logs a conversation.
        self.fields["topic"].choices = [
            choice
            for choice in self.fields["topic"].choices
            if choice[0] != Contact.Topic.AUTOMATIC_LETTER
        ]

    class Meta:
        model = Contact
        fields = ["channel", "topic", "notes", "follow_up_on"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}),
        }


class NoteForm(NoCardNumbers, forms.ModelForm):
    no_card_fields = ("text",)

    class Meta:
        model = AccountNote
        fields = ["text", "pinned"]
        labels = {"text": "Note", "pinned": "Pin to the top of the account"}
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


_DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


class HistoryFilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *JournalEntry.Kind.choices],
        required=False,
        label="Kind",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    date_from = forms.DateField(required=False, label="From", widget=_DATE)
    date_to = forms.DateField(required=False, label="To", widget=_DATE)

    def filter(self, rows):
        if not self.is_valid():
            return rows
        kind, start, end = (self.cleaned_data[k] for k in ("kind", "date_from", "date_to"))
        return [
            row
            for row in rows
            if (not kind or row.kind == kind)
            and (not start or row.effective_on >= start)
            and (not end or row.effective_on <= end)
        ]

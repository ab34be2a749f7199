from django import forms

from accounts.models import LetterTemplate
from mesa_cs.lib.forms import NoCardNumbers

# Clerks write general letters; the other kinds are sent by the flows they
# belong to (service start, deposits, final bills).
CLERK_KINDS = [(LetterTemplate.Kind.GENERAL, LetterTemplate.Kind.GENERAL.label)]


class LetterTemplateForm(NoCardNumbers, forms.ModelForm):
    """Subject and body; the model refuses merge fields the kind does not have."""

    no_card_fields = ("subject", "body", "subject_es", "body_es")

    class Meta:
        model = LetterTemplate
        fields = ["subject", "body", "subject_es", "body_es"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
            "body_es": forms.Textarea(attrs={"rows": 12, "spellcheck": "true", "lang": "es"}),
            "subject_es": forms.TextInput(attrs={"lang": "es"}),
        }


class LetterSendForm(NoCardNumbers, forms.Form):
    no_card_fields = ("message",)

    key = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="Letter", choices=CLERK_KINDS)
    message = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
        help_text="Plain text. A blank line starts a new paragraph. "
        "The greeting, closing and signature are added for you.",
    )

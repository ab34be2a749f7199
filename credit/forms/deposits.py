from django import forms

from mesa_cs.lib.forms import NoCardNumbers


class DisputeForm(NoCardNumbers, forms.Form):
    no_card_fields = ("details",)

    details = forms.CharField(
        label="What does the customer dispute?", widget=forms.Textarea(attrs={"rows": 2})
    )

from django import forms


class DisputeForm(forms.Form):
    details = forms.CharField(
        label="What does the customer dispute?", widget=forms.Textarea(attrs={"rows": 2})
    )

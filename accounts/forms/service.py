"""Forms of the start, stop and transfer pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone

from accounts.models import Account, Person, Premise, Utility
from accounts.panels import rate_schedules
from accounts.selectors.service import schedules_by_utility
from accounts.services.start import ServiceRequest
from accounts.validators import normalize_phone
from mesa_cs.lib.forms import NoCardNumbers
from mesa_cs.lib.states import state_field

DATE = forms.DateInput(attrs={"type": "date"})


class PersonForm(NoCardNumbers, forms.ModelForm):
    """A new customer. Identity is kept as the last 4 digits only."""

    no_card_fields = (
        "first_name",
        "last_name",
        "business_name",
        "email",
        "mailing_line1",
        "mailing_line2",
        "mailing_city",
    )

    # Typed any way (480-644-2221, (480) 644 2221); stored as 10 digits.
    phone = forms.CharField(label="Phone", max_length=20, required=False)
    mailing_state = state_field()
    alt_phone = forms.CharField(label="Alternate phone", max_length=20, required=False)

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "business_name",
            "phone",
            "alt_phone",
            "email",
            "mailing_line1",
            "mailing_line2",
            "mailing_city",
            "mailing_state",
            "mailing_zip",
            "preferred_language",
            "id_type",
            "id_last4",
        ]

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_alt_phone(self):
        return normalize_phone(self.cleaned_data["alt_phone"])

    def clean(self):
        data = super().clean()
        if not (data.get("last_name") or data.get("business_name")):
            raise forms.ValidationError("Enter the customer's last name or business name.")
        if data.get("id_type") and not data.get("id_last4"):
            self.add_error("id_last4", "Enter the last 4 digits of the identity document.")
        if not data.get("mailing_line1"):
            # The state offered by default goes with an address, not alone.
            data["mailing_state"] = ""
        return data


class ServicesForm(forms.Form):
    """The utilities to start at one premise, each with its rate schedule."""

    UTILITIES = list(Utility)

    starts_on = forms.DateField(label="Start date", widget=DATE)
    same_day = forms.BooleanField(
        label="Same-day or after-hours turn-on ($55.00 instead of the connection charge)",
        required=False,
    )

    def __init__(self, *args, premise: Premise, **kwargs):
        super().__init__(*args, **kwargs)
        self.premise = premise
        schedules = schedules_by_utility()
        for utility in self.UTILITIES:
            self.fields[f"{utility}_on"] = forms.BooleanField(
                label=f"Start {utility.label.lower()}", required=False
            )
            self.fields[f"{utility}_schedule"] = forms.ChoiceField(
                label=f"{utility.label} rate schedule",
                choices=[("", "—")] + schedules.get(utility.value, []),
                required=False,
            )
        self._extra_fields()
        self.initial.setdefault("starts_on", timezone.localdate())
        for name, field in self.fields.items():
            if name.endswith("_on") and isinstance(field, forms.BooleanField):
                field.widget.attrs["class"] = "form-check-input"
            elif name.endswith("_schedule"):
                field.widget.attrs["class"] = "form-select form-select-sm"

    def _extra_fields(self):
        self.fields["solid_waste_containers"] = forms.IntegerField(
            label="Containers", min_value=1, max_value=20, required=False, initial=1
        )
        self.fields["solid_waste_service_code"] = forms.CharField(
            label="Bin service code (commercial, e.g. 4yd:2)", max_length=10, required=False
        )
        self.fields["irrigation_acres"] = forms.DecimalField(
            label="Irrigated acres", min_value=0.01, max_digits=7, decimal_places=2, required=False
        )
        for name in ("solid_waste_containers", "solid_waste_service_code", "irrigation_acres"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"

    def utility_rows(self):
        """(utility, start checkbox, schedule select, extra fields) for the table."""
        extras = {
            Utility.SOLID_WASTE: ["solid_waste_containers", "solid_waste_service_code"],
            Utility.IRRIGATION: ["irrigation_acres"],
        }
        return [
            (
                utility,
                self[f"{utility}_on"],
                self[f"{utility}_schedule"],
                [self[name] for name in extras.get(utility, [])],
            )
            for utility in self.UTILITIES
        ]

    def clean(self):
        data = super().clean()
        chosen = [u for u in self.UTILITIES if data.get(f"{u}_on")]
        if not chosen:
            raise forms.ValidationError("Choose at least one service to start.")
        for utility in chosen:
            if not data.get(f"{utility}_schedule"):
                self.add_error(f"{utility}_schedule", f"Choose the {utility.label.lower()} rate.")
        if Utility.IRRIGATION in chosen and not data.get("irrigation_acres"):
            self.add_error("irrigation_acres", "Irrigation needs the irrigated acres.")
        return data

    def requests(self) -> list[ServiceRequest]:
        data = self.cleaned_data
        trash = Utility.SOLID_WASTE
        return [
            ServiceRequest(
                utility=u.value,
                rate_schedule=data[f"{u}_schedule"],
                containers=data.get("solid_waste_containers") if u == trash else None,
                service_code=(data.get("solid_waste_service_code") or "") if u == trash else "",
                acres=data.get("irrigation_acres") if u == Utility.IRRIGATION else None,
            )
            for u in self.UTILITIES
            if data.get(f"{u}_on")
        ]


class StartForm(NoCardNumbers, ServicesForm):
    no_card_fields = ("bond_reference", "program_verified_by")

    customer_class = forms.ChoiceField(
        label="Customer class", choices=Account.CustomerClass.choices, initial="residential"
    )
    estimated_highest_month = forms.DecimalField(
        label="Estimated highest monthly bill (commercial deposit)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    deposit_installments = forms.TypedChoiceField(
        label="Deposit paid in",
        coerce=int,
        initial=1,
        choices=[
            (n, "one payment" if n == 1 else f"{n} monthly installments")
            for n in range(1, settings.DEPOSIT_MAX_INSTALLMENTS + 1)
        ],
    )
    bond_reference = forms.CharField(
        label="Utility bond number (instead of a cash deposit)", required=False, max_length=60
    )
    bond_expires_on = forms.DateField(label="Bond expires", required=False, widget=DATE)
    programs = forms.MultipleChoiceField(
        label="Enrol in",
        required=False,
        choices=[
            ("SEA", "Summer Electric Assistance (electric, July–September)"),
            ("LISR", "Limited Income Senior Rate (water, age 60+)"),
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text="Enrol only when the customer's eligibility has been verified.",
    )
    program_verified_by = forms.CharField(
        label="Eligibility verified by",
        required=False,
        max_length=100,
        help_text="Who checked the income or age documents, e.g. your name or the agency.",
    )

    def clean(self):
        data = super().clean()
        classes = {code: cls for code, _, _, cls in rate_schedules()}
        chosen_class = data.get("customer_class")
        for utility in self.UTILITIES:
            code = data.get(f"{utility}_schedule")
            if (
                data.get(f"{utility}_on")
                and code
                and classes.get(code) not in ("", None, chosen_class)
            ):
                self.add_error(
                    f"{utility}_schedule",
                    f"{code} is a {classes[code]} rate; this account is {chosen_class}.",
                )
        return data


class StopForm(NoCardNumbers, forms.Form):
    no_card_fields = ("mailing_line1", "mailing_city")

    premise = forms.ModelChoiceField(label="Stop service at", queryset=Premise.objects.none())
    stops_on = forms.DateField(label="Stop date", widget=DATE)
    same_day = forms.BooleanField(label="Same-day or after-hours final read", required=False)
    mailing_line1 = forms.CharField(label="Forwarding address", required=False, max_length=120)
    mailing_city = forms.CharField(label="City", required=False, max_length=60)
    mailing_state = state_field()
    mailing_zip = forms.CharField(label="ZIP code", required=False, max_length=10)

    def __init__(self, *args, premises: list[Premise], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["premise"].queryset = Premise.objects.filter(pk__in=[p.pk for p in premises])
        if len(premises) == 1:
            self.initial.setdefault("premise", premises[0].pk)
        self.initial.setdefault("stops_on", timezone.localdate())

    def forwarding(self) -> dict[str, str]:
        fields = ["mailing_line1", "mailing_city", "mailing_state", "mailing_zip"]
        given = {f: self.cleaned_data[f].strip() for f in fields}
        return given if given["mailing_line1"] else {}


class TransferForm(ServicesForm):
    from_premise = forms.ModelChoiceField(label="Moving from", queryset=Premise.objects.none())
    stops_on = forms.DateField(label="Stop date at the old address", widget=DATE)

    field_order = ["from_premise", "stops_on", "starts_on", "same_day"]

    def __init__(self, *args, premise: Premise, old_premises: list[Premise], **kwargs):
        super().__init__(*args, premise=premise, **kwargs)
        self.fields["from_premise"].queryset = Premise.objects.filter(
            pk__in=[p.pk for p in old_premises]
        )
        if len(old_premises) == 1:
            self.initial.setdefault("from_premise", old_premises[0].pk)
        self.initial.setdefault("stops_on", timezone.localdate())
        self.order_fields(self.field_order)

from decimal import Decimal

from django import forms

from accounts.rules.scanline import parse_scan_line
from accounts.selectors import account_by_number
from accounts.validators import validate_account_number
from cashiering.models import Tender, TenderSource
from cashiering.services.drawers import DENOMINATIONS
from mesa_cs.lib.forms import NoCardNumbers
from mesa_cs.lib.imports import import_file_help, import_file_validator
from mesa_cs.lib.luhn import validate_no_card_number

ROWS = 3


def _no_card(value: str) -> str:
    validate_no_card_number(value)
    return value


class OpenShiftForm(forms.Form):
    source = forms.ModelChoiceField(
        queryset=TenderSource.objects.filter(kind=TenderSource.Kind.DRAWER, active=True),
        label="Drawer",
    )
    opening_float = forms.DecimalField(
        label="Opening float", min_value=0, decimal_places=2, initial=Decimal("200.00")
    )


class CounterPaymentForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    payer_name = forms.CharField(label="Payer name", required=False, max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, ROWS + 1):
            first = n == 1
            self.fields[f"account_{n}"] = forms.CharField(
                label=f"Account {n} (number or bill stub scan line)", required=first, max_length=40
            )
            self.fields[f"amount_{n}"] = forms.DecimalField(
                label=f"Amount for account {n}",
                required=first,
                min_value=Decimal("0.01"),
                decimal_places=2,
            )
            self.fields[f"tender_{n}"] = forms.ChoiceField(
                label=f"Tender {n}", choices=[("", "—")] + list(Tender.choices[:4]), required=first
            )
            self.fields[f"tender_amount_{n}"] = forms.DecimalField(
                label=f"Tender {n} amount",
                required=first,
                min_value=Decimal("0.01"),
                decimal_places=2,
            )
            self.fields[f"reference_{n}"] = forms.CharField(
                label=f"Tender {n} check, money order or approval number",
                required=False,
                max_length=40,
            )

    def clean(self):
        cleaned = super().clean()
        allocations, tenders = [], []
        for n in range(1, ROWS + 1):
            text = (cleaned.get(f"account_{n}") or "").strip()
            if text:
                scanned = parse_scan_line(text)
                number = scanned[0] if scanned else text.replace(" ", "")
                try:
                    validate_account_number(number)
                except forms.ValidationError as exc:
                    self.add_error(f"account_{n}", exc)
                    continue
                account = account_by_number(number)
                if account is None:
                    self.add_error(f"account_{n}", f"No account {number}.")
                elif cleaned.get(f"amount_{n}") is None:
                    self.add_error(f"amount_{n}", "Enter the amount for this account.")
                else:
                    allocations.append((account, cleaned[f"amount_{n}"]))
            if cleaned.get(f"tender_{n}"):
                amount = cleaned.get(f"tender_amount_{n}")
                if amount is None:
                    self.add_error(f"tender_amount_{n}", "Enter the amount of this tender.")
                    continue
                try:
                    reference = _no_card(cleaned.get(f"reference_{n}", ""))
                except forms.ValidationError as exc:
                    self.add_error(f"reference_{n}", exc)
                    continue
                tenders.append((cleaned[f"tender_{n}"], amount, reference))
        try:
            _no_card(cleaned.get("payer_name", ""))
        except forms.ValidationError as exc:
            self.add_error("payer_name", exc)
        cleaned["allocations"], cleaned["tenders"] = allocations, tenders
        return cleaned


class CloseShiftForm(NoCardNumbers, forms.Form):
    no_card_fields = ("reason",)

    checks = forms.CharField(
        label="Checks and money orders in the drawer (one amount per line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = forms.CharField(label="Reason for any difference", required=False, max_length=200)
    supervisor = forms.CharField(
        label="Supervisor username (differences over $5.00)", required=False
    )
    supervisor_password = forms.CharField(
        label="Supervisor password", required=False, widget=forms.PasswordInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for denomination in DENOMINATIONS:
            label = (
                f"${denomination}"
                if Decimal(denomination) >= 1
                else f"{int(Decimal(denomination) * 100)}¢"
            )
            self.fields[f"d_{denomination}"] = forms.IntegerField(
                label=f"{label} count", min_value=0, required=False, initial=0
            )

    def clean_checks(self):
        amounts = []
        for n, line in enumerate((self.cleaned_data.get("checks") or "").splitlines(), start=1):
            if line.strip():
                try:
                    amounts.append(Decimal(line.strip().replace("$", "").replace(",", "")))
                except ArithmeticError as exc:
                    raise forms.ValidationError(
                        f"Line {n}: {line.strip()!r} is not an amount."
                    ) from exc
        return amounts

    def denominations(self) -> dict[str, int]:
        return {d: self.cleaned_data.get(f"d_{d}") or 0 for d in DENOMINATIONS}


class PaymentFileForm(forms.Form):
    file = forms.FileField(label="Payment file (mesa-remit/1)", validators=[import_file_validator])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = import_file_help()

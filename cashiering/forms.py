from decimal import Decimal

from django import forms

from accounts.rules.scanline import parse_scan_line
from accounts.selectors import account_by_number
from accounts.validators import validate_account_number
from cashiering.models import Tender, TenderSource
from cashiering.rules.tally import Tally, tally
from cashiering.services.drawers import DENOMINATIONS
from mesa_cs.lib.forms import NoCardNumbers
from mesa_cs.lib.imports import import_file_help, import_file_validator
from mesa_cs.lib.luhn import looks_like_card_number, validate_no_card_number

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
    """The counter screen: up to three accounts and three tenders.

    A bill stub's scan line typed or scanned into an account field stands for
    the account number and, when the cashier has not typed one, the stub's
    amount. A card number typed anywhere is refused and never sent back into
    the page: its field comes back empty (docs/cashiering.md)."""

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
                label=f"Tender {n} check or approval no.",
                required=False,
                max_length=40,
            )
        if self.is_bound:
            self.data = scan_lines_read(self.data)

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors:
            self.forget_card_numbers()

    def forget_card_numbers(self) -> None:
        """Empty every field that holds a card number, so a refused form does
        not carry it back into the page, the browser's form cache or a
        screenshot. (Masked, it would post again as an approval code.)"""
        data = self.data.copy()
        for name in self.fields:
            if name != "key" and looks_like_card_number(str(data.get(name) or "")):
                data[name] = ""
        self.data = data

    def row_used(self, kind: str, n: int) -> bool:
        """An extra account or tender row holds something (the first rows always count)."""
        if n == 1:
            return True
        names = (
            (f"account_{n}", f"amount_{n}")
            if kind == "account"
            else (f"tender_amount_{n}", f"reference_{n}")
        )
        return self.is_bound and any((self.data.get(name) or "").strip() for name in names)

    def clean(self):
        cleaned = super().clean()
        allocations, tenders = [], []
        for n in range(1, ROWS + 1):
            text = (cleaned.get(f"account_{n}") or "").strip()
            if text:
                number = text.replace(" ", "")
                try:
                    validate_no_card_number(text)
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


def scan_lines_read(data):
    """The posted counter fields with each scan line replaced by its account
    number, and the stub's amount put in that account's empty amount field."""
    data = data.copy()
    for n in range(1, ROWS + 1):
        scanned = parse_scan_line((data.get(f"account_{n}") or "").strip())
        if scanned is None:
            continue
        number, amount = scanned
        data[f"account_{n}"] = number
        if not (data.get(f"amount_{n}") or "").strip() and amount > 0:
            data[f"amount_{n}"] = f"{amount:.2f}"
    return data


def counter_tally(data) -> Tally:
    """The live panel's sums from what the counter form holds so far; what
    is not yet a number counts as nothing."""

    def amount(name: str) -> Decimal:
        try:
            value = Decimal((data.get(name) or "").replace("$", "").replace(",", "").strip())
        except ArithmeticError:
            return Decimal("0")
        return value if value.is_finite() and 0 < value < 10**9 else Decimal("0")

    return tally(
        (amount(f"amount_{n}") for n in range(1, ROWS + 1)),
        (
            (data.get(f"tender_{n}"), amount(f"tender_amount_{n}"))
            for n in range(1, ROWS + 1)
            if data.get(f"tender_{n}")
        ),
    )


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


def drawer_count_read(data) -> tuple[dict[str, int], list[Decimal]]:
    """The counts and check amounts typed so far on the close page, for its
    running totals: what is not (yet) a number counts as nothing."""
    denominations = {}
    for denomination in DENOMINATIONS:
        try:
            count = int((data.get(f"d_{denomination}") or "0").strip())
        except ValueError:
            count = 0
        denominations[denomination] = count if 0 <= count < 10**6 else 0
    checks = []
    for line in (data.get("checks") or "").splitlines():
        try:
            amount = Decimal(line.strip().replace("$", "").replace(",", ""))
        except ArithmeticError:
            continue
        if amount.is_finite() and 0 < amount < 10**9:
            checks.append(amount)
    return denominations, checks


class PaymentFileForm(forms.Form):
    file = forms.FileField(label="Payment file (mesa-remit/1)", validators=[import_file_validator])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = import_file_help()

"""The rate editor's forms: a version's components as rows, each with its
usage blocks and its prices by meter size or service code as rows of their
own (Django formsets), and the sample usages a change is previewed on.

The rows are turned into mesa-ratebook/1 mappings (``VersionEditor.specs``);
the service parses those with the rate book's own parser, so a version saved
here is exactly what ``load_rates`` would have stored (docs/rate_editor.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from mesa_cs.lib.forms import NoCardNumbers

_TEXT_NUMBER = {"inputmode": "decimal", "autocomplete": "off"}
_DATE = {"type": "date"}

TYPES = [
    ("fixed", "Fixed charge"),
    ("per_unit", "Per unit"),
    ("tiered", "Usage blocks"),
    ("discount", "Discount"),
    ("usage_credit", "Usage credit"),
    ("tax", "Tax"),
]
PRICED_BY = [
    ("amount", "One amount"),
    ("meter_size", "By meter size"),
    ("service", "By service code"),
]
BASES = [
    ("usage", "Usage"),
    ("winter_average_capped", "Usage capped at the winter average"),
    ("usage_percent", "A percent of usage"),
    ("acres", "Irrigated acres"),
]
TABLE_KEYS = {"meter_size": "by_meter_size", "service": "by_service"}


def _text(value: Decimal) -> str:
    return format(value, "f")


def _money(label, *, required=False, places=6, max_digits=14, **kwargs):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=max_digits,
        decimal_places=places,
        widget=forms.TextInput(attrs=_TEXT_NUMBER),
        **kwargs,
    )


class RowsFormSet(forms.BaseFormSet):
    """Rows are all alike: a row left blank is dropped, a row ticked
    "Remove" is left out, whether it was on the page before or added."""

    def initial_form_count(self):
        return 0 if self.is_bound else super().initial_form_count()

    def kept_forms(self):
        return [
            form
            for form in (self.ordered_forms if self.can_order else self.forms)
            if form.has_changed() and not (self.can_delete and self._should_delete_form(form))
        ]


class ComponentForm(NoCardNumbers, forms.Form):
    no_card_fields = ("name", "program", "of")

    type = forms.ChoiceField(label="Type", choices=[("", "— choose —"), *TYPES])
    name = forms.CharField(label="Name", max_length=100)
    season = forms.ChoiceField(label="Season", required=False)
    months = forms.CharField(
        label="Months", required=False, max_length=40, help_text="Only in these, e.g. 7, 8, 9"
    )
    program = forms.CharField(
        label="Program", required=False, max_length=12, help_text="Only to enrolled accounts"
    )
    priced_by = forms.ChoiceField(
        label="Priced", required=False, choices=PRICED_BY, initial="amount"
    )
    amount = _money("Amount", places=4)
    per_container = forms.BooleanField(label="Per container", required=False)
    basis = forms.ChoiceField(label="Basis", required=False, choices=[("", "—"), *BASES])
    price = _money("Price per unit")
    percent = _money("Percent", places=3, max_digits=7, max_value=100)
    of = forms.CharField(label="Of", required=False, max_length=100, help_text="A component's name")
    units = _money("Units", places=2, max_digits=10)

    def __init__(self, *args, seasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["season"].choices = [("", "Every season")] + [(s, s.title()) for s in seasons]

    def clean_months(self):
        text = self.cleaned_data["months"].strip()
        if not text:
            return None
        try:
            months = [int(part) for part in text.replace(" ", ",").split(",") if part]
        except ValueError:
            raise ValidationError("Write month numbers 1 to 12, separated by commas.") from None
        if not months or not all(1 <= m <= 12 for m in months):
            raise ValidationError("Write month numbers 1 to 12, separated by commas.")
        return sorted(set(months))

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("type")
        need = {
            "per_unit": ["basis", "price"],
            "discount": ["percent", "of"],
            "usage_credit": ["units", "of"],
            "tax": ["percent"],
        }.get(kind, [])
        if kind == "fixed" and cleaned.get("priced_by") in (None, "", "amount"):
            need = ["amount"]
        if kind == "per_unit" and cleaned.get("basis") == "usage_percent":
            need = [*need, "percent"]
        for name in need:
            if cleaned.get(name) in (None, ""):
                self.add_error(name, f"A {dict(TYPES)[kind].lower()} needs this.")
        return cleaned


class BlockForm(forms.Form):
    upto = _money("Up to", places=4, help_text="Empty: no upper limit (the last block)")
    price = _money("Price", required=True)


class PriceForm(NoCardNumbers, forms.Form):
    no_card_fields = ("key",)

    key = forms.CharField(label="Meter size or service code", max_length=12)
    amount = _money("Amount", required=True, places=4)


ComponentFormSet = forms.formset_factory(
    ComponentForm, formset=RowsFormSet, extra=0, can_delete=True, can_order=True, max_num=30
)
BlockFormSet = forms.formset_factory(
    BlockForm, formset=RowsFormSet, extra=1, can_delete=True, max_num=20
)
PriceFormSet = forms.formset_factory(
    PriceForm, formset=RowsFormSet, extra=1, can_delete=True, max_num=40
)


def _component_initial(spec: dict) -> dict:
    initial = {key: spec.get(key) for key in ("type", "name", "season", "program", "of")}
    for key in ("amount", "price", "percent", "units"):
        if spec.get(key) is not None:
            initial[key] = Decimal(spec[key])
    initial["basis"] = spec.get("basis", "")
    initial["months"] = ", ".join(str(m) for m in spec.get("months") or ())
    initial["per_container"] = spec.get("per") == "container"
    initial["priced_by"] = next(
        (by for by, key in TABLE_KEYS.items() if spec.get(key) is not None), "amount"
    )
    return initial


def _blocks_initial(spec: dict) -> list[dict]:
    return [
        {
            "upto": Decimal(b["upto"]) if b.get("upto") is not None else None,
            "price": Decimal(b["price"]),
        }
        for b in spec.get("blocks") or ()
    ]


def _prices_initial(spec: dict, meter_sizes=()) -> list[dict]:
    table = spec.get("by_meter_size") or spec.get("by_service") or {}
    # The database keeps a mapping's keys in its own order: show meter sizes
    # smallest first, as the rate book lists them, and service codes sorted.
    order = {size: n for n, size in enumerate(meter_sizes)}
    keys = sorted(table, key=lambda k: (order.get(k, len(order)), k))
    return [{"key": key, "amount": Decimal(table[key])} for key in keys]


@dataclass
class Card:
    """One component's rows on the page: its fields, blocks and prices."""

    number: int
    form: ComponentForm
    blocks: RowsFormSet
    prices: RowsFormSet
    new: bool = False

    def value(self, name):
        return self.form[name].value()

    @property
    def type_fields(self) -> list:
        return card_fields(self)

    @property
    def condition_fields(self) -> list:
        return condition_fields(self)

    @property
    def title(self) -> str:
        return self.value("name") or "New component"

    @property
    def shows_blocks(self) -> bool:
        return self.new or self.value("type") == "tiered"

    @property
    def shows_prices(self) -> bool:
        return self.new or (self.value("type") == "fixed" and self.value("priced_by") in TABLE_KEYS)


class VersionHeaderForm(forms.Form):
    effective = forms.DateField(label="Effective date", widget=forms.DateInput(attrs=_DATE))


class VersionEditor:
    """The whole version as one form: a header (a draft's effective date),
    the components formset and each component's blocks and prices formsets."""

    def __init__(
        self, data=None, *, specs=(), seasons=(), meter_sizes=(), effective=None, draft=False
    ):
        self.is_bound = data is not None
        self._problems: list[str] = []
        self.header = (
            VersionHeaderForm(data, initial={"effective": effective}, prefix="v") if draft else None
        )
        specs = list(specs)
        self.components = ComponentFormSet(
            data,
            initial=[_component_initial(s) for s in specs] or None,
            prefix="c",
            form_kwargs={"seasons": seasons},
        )
        if not self.is_bound:
            # One blank card at the end, to add a component.
            self.components.extra = 1
        self.cards = []
        for index, form in enumerate(self.components.forms):
            spec = specs[index] if index < len(specs) and not self.is_bound else {}
            new = not self.is_bound and index >= len(specs)
            self.cards.append(
                Card(
                    number=index + 1,
                    form=form,
                    blocks=self._rows(BlockFormSet, data, f"c-{index}-b", _blocks_initial(spec)),
                    prices=self._rows(
                        PriceFormSet, data, f"c-{index}-p", _prices_initial(spec, meter_sizes)
                    ),
                    new=new,
                )
            )
        if self.is_bound:
            for card in self.cards:
                card.new = not card.form.has_changed()  # still the blank one
            self._give_rows_to_changed_types()

    @staticmethod
    def _rows(formset_class, data, prefix, initial):
        formset = formset_class(data, prefix=prefix, initial=initial or None)
        if data is None and not initial:
            formset.extra = 3
        return formset

    def _give_rows_to_changed_types(self):
        """A component whose type was changed to usage blocks (or to prices by
        meter size or service) had no rows of that kind on the page: give it
        blank rows to fill in, so the next preview can take them."""
        for card in self.cards:
            for attr, formset_class, letter in (
                ("blocks", BlockFormSet, "b"),
                ("prices", PriceFormSet, "p"),
            ):
                wanted = getattr(card, f"shows_{attr}")
                if wanted and getattr(card, attr).total_form_count() == 0:
                    blank = formset_class(prefix=f"c-{card.number - 1}-{letter}")
                    blank.extra = 3
                    setattr(card, attr, blank)
                    what = "usage blocks" if attr == "blocks" else "prices"
                    self._problems.append(
                        f"Component {card.number}: fill in its {what} in the rows now shown."
                    )

    # --- validation ----------------------------------------------------------

    def is_valid(self) -> bool:
        if not self.is_bound:
            return False
        valid = self.components.is_valid()
        if self.header is not None:
            valid = self.header.is_valid() and valid
        for card in self.kept_cards():
            if card.shows_blocks:
                valid = card.blocks.is_bound and card.blocks.is_valid() and valid
            if card.shows_prices:
                valid = card.prices.is_bound and card.prices.is_valid() and valid
        if valid and not self._problems:
            valid = self._check_rows()
        return valid and not self._problems

    def kept_cards(self) -> list[Card]:
        if not self.components.is_valid():
            return [c for c in self.cards if c.form.has_changed()]
        by_form = {id(card.form): card for card in self.cards}
        return [by_form[id(form)] for form in self.components.kept_forms()]

    def _check_rows(self) -> bool:
        """What a row cannot say on its own: blocks that rise and end open,
        a price table with each key once. Refusals go beside the row's field."""
        ok = True
        for position, card in enumerate(self.kept_cards(), start=1):
            where = f"Component {position} ({card.form.cleaned_data['name']})"
            kind = card.form.cleaned_data["type"]
            if kind == "tiered":
                rows = card.blocks.kept_forms()
                if not rows:
                    self._problems.append(f"{where}: give at least one usage block.")
                before = None
                for n, form in enumerate(rows, start=1):
                    upto = form.cleaned_data["upto"]
                    if upto is None and n < len(rows):
                        form.add_error("upto", "Only the last block has no limit.")
                    elif upto is not None and n == len(rows):
                        form.add_error(
                            "upto", "Leave the last block's limit empty: it takes the rest."
                        )
                    elif upto is not None and before is not None and upto <= before:
                        form.add_error(
                            "upto", f"Must be more than the block above ({_text(before)})."
                        )
                    ok = ok and not form.errors
                    before = upto if upto is not None else before
            if kind == "fixed" and card.form.cleaned_data["priced_by"] in TABLE_KEYS:
                rows = card.prices.kept_forms()
                if not rows:
                    self._problems.append(f"{where}: give at least one price row.")
                seen = set()
                for form in rows:
                    key = form.cleaned_data["key"].strip()
                    if key in seen:
                        form.add_error("key", f"{key} is priced twice.")
                        ok = False
                    seen.add(key)
        return ok

    def problems(self) -> list[str]:
        return self._problems

    def add_problems(self, messages) -> None:
        self._problems += messages

    def dress(self) -> None:
        """Label the table rows' inputs (call before rendering)."""
        for card in self.cards:
            dress_rows(card, "blocks")
            dress_rows(card, "prices")

    def error_summary(self) -> list[str]:
        """Every refusal on the page in one list, each naming its row and field."""
        messages = []
        if self.header is not None and self.header.is_bound:
            for field, errors in self.header.errors.items():
                label = self.header.fields[field].label if field in self.header.fields else ""
                messages += [f"{label}: {e}" if label else e for e in errors]
        if self.is_bound:
            messages += list(self.components.non_form_errors())
        for card in self.cards:
            if card.form.is_bound and card.value("DELETE"):
                continue
            name = card.value("name") or "new"
            where = f"Component {card.number} ({name})"
            if card.form.is_bound:
                messages += _form_errors(card.form, where)
            for label, formset in (("block", card.blocks), ("price row", card.prices)):
                if not formset.is_bound:
                    continue
                for row, form in enumerate(formset.forms, start=1):
                    messages += _form_errors(form, f"{where}, {label} {row}")
        return messages + self._problems

    # --- what was entered ----------------------------------------------------

    @property
    def effective(self):
        return self.header.cleaned_data["effective"] if self.header is not None else None

    def specs(self) -> list[dict]:
        """The kept components, in their order, as mesa-ratebook/1 mappings."""
        return [self._spec(card) for card in self.kept_cards()]

    @staticmethod
    def _spec(card: Card) -> dict:
        data = card.form.cleaned_data
        kind = data["type"]
        spec: dict = {"type": kind, "name": data["name"].strip()}
        if data.get("season"):
            spec["season"] = data["season"]
        if data.get("months"):
            spec["months"] = data["months"]
        if data.get("program"):
            spec["program"] = data["program"].strip()
        if kind == "fixed":
            by = data.get("priced_by") or "amount"
            if by == "amount":
                spec["amount"] = _text(data["amount"])
            else:
                spec[TABLE_KEYS[by]] = {
                    f.cleaned_data["key"].strip(): _text(f.cleaned_data["amount"])
                    for f in card.prices.kept_forms()
                }
            if data.get("per_container"):
                spec["per"] = "container"
        elif kind == "per_unit":
            spec["basis"] = data["basis"]
            spec["price"] = _text(data["price"])
            if data["basis"] == "usage_percent":
                spec["percent"] = _text(data["percent"])
        elif kind == "tiered":
            spec["blocks"] = [
                {
                    "upto": _text(f.cleaned_data["upto"])
                    if f.cleaned_data["upto"] is not None
                    else None,
                    "price": _text(f.cleaned_data["price"]),
                }
                for f in card.blocks.kept_forms()
            ]
        elif kind in ("discount", "usage_credit"):
            spec["of"] = data["of"].strip()
            key = "percent" if kind == "discount" else "units"
            spec[key] = _text(data[key])
        elif kind == "tax":
            spec["percent"] = _text(data["percent"])
        return spec


class StartVersionForm(forms.Form):
    effective = forms.DateField(
        label="Effective date",
        widget=forms.DateInput(attrs=_DATE),
        help_text="The first service day the new rates price",
    )


class PreviewForm(forms.Form):
    """The sample bills a change is shown on, before and after."""

    usages = forms.CharField(
        label="Sample usages",
        max_length=80,
        initial="0, 5, 10, 20",
        help_text="Up to 6, separated by commas",
    )
    read_on = forms.DateField(
        label="Read date", widget=forms.DateInput(attrs=_DATE), help_text="A 30-day period to it"
    )
    meter_size = forms.ChoiceField(label="Meter size", required=False)
    service = forms.ChoiceField(label="Service code", required=False)
    quantity = forms.IntegerField(label="Containers", min_value=1, max_value=99, initial=1)
    acres = _money("Irrigated acres", places=2, max_digits=8, initial=Decimal("1"))

    def __init__(self, *args, meter_sizes=(), services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meter_size"].choices = [("", "—")] + [(s, f'{s}"') for s in meter_sizes]
        self.fields["service"].choices = [("", "—")] + [(s, s) for s in services]

    def clean_usages(self):
        parts = [p.strip() for p in self.cleaned_data["usages"].split(",") if p.strip()]
        if not parts or len(parts) > 6:
            raise ValidationError("Give 1 to 6 usages, separated by commas.")
        usages = []
        for part in parts:
            try:
                value = Decimal(part)
            except ArithmeticError:
                raise ValidationError(f"{part!r} is not a number.") from None
            if not value.is_finite() or value < 0 or value >= 10**7:
                raise ValidationError(f"{part}: a usage is 0 to 9,999,999.")
            usages.append(value)
        return usages

    def period(self):
        end = self.cleaned_data["read_on"]
        return end - timedelta(days=30), end


FIELDS_BY_TYPE = {
    "fixed": ("priced_by", "amount", "per_container"),
    "per_unit": ("basis", "price", "percent"),
    "tiered": (),
    "discount": ("of", "percent"),
    "usage_credit": ("of", "units"),
    "tax": ("percent",),
}
CONDITIONS = ("season", "months", "program")


def card_fields(card: Card) -> list:
    """The bound fields a card shows for its type (every one on a new card)."""
    kind = card.value("type")
    if card.new or kind not in FIELDS_BY_TYPE:
        names = ("priced_by", "amount", "per_container", "basis", "price", "percent", "of", "units")
    else:
        names = FIELDS_BY_TYPE[kind]
        if kind == "fixed" and card.value("priced_by") in TABLE_KEYS:
            names = ("priced_by", "per_container")  # the amounts are the rows below
    return [card.form[name] for name in names]


def condition_fields(card: Card) -> list:
    return [card.form[name] for name in CONDITIONS]


def dress_rows(card: Card, name: str) -> None:
    """Row inputs in a table have no label beside them: name each for screen
    readers by component and row, and mark a refused one."""
    component = card.value("name") or f"new component {card.number}"
    formset = getattr(card, "blocks" if name == "blocks" else "prices")
    what = "block" if name == "blocks" else "price row"
    for row, form in enumerate(formset.forms, start=1):
        for field_name, field in form.fields.items():
            label = "Remove" if field_name == "DELETE" else field.label
            classes = (
                "form-check-input" if field_name == "DELETE" else "form-control form-control-sm"
            )
            if form.is_bound and field_name in form.errors:
                classes += " is-invalid"
            field.widget.attrs.update(
                {"aria-label": f"{component}, {what} {row}: {label}", "class": classes}
            )


def _form_errors(form, where: str) -> list[str]:
    messages = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        prefix = f"{where}, {label}" if label else where
        messages += [f"{prefix}: {e}" for e in errors]
    return messages

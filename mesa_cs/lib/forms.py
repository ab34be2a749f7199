"""Form helpers shared by the apps' views."""

from django.core.exceptions import ValidationError

from mesa_cs.lib.luhn import looks_like_card_number, mask_card_numbers, validate_no_card_number


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field it
    names when the form has that field, above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        mask_refused_card_numbers(form, [f for f in exc.message_dict if f in form.fields])
    else:
        form.add_error(None, exc.messages)


def mask_refused_card_numbers(form, names) -> None:
    """A refused form is shown again with what was typed; a card number in it
    goes back masked (last 4), never as typed, so it is not in the page, the
    browser's form cache or a screenshot."""
    data, changed = form.data.copy(), False
    for name in names:
        key = form.add_prefix(name)
        value = data.get(key)
        if isinstance(value, str) and looks_like_card_number(value):
            data[key], changed = mask_card_numbers(value), True
    if changed:
        form.data = data


class NoCardNumbers:
    """A form mixin: the free-text fields named in ``no_card_fields`` refuse
    card numbers with the message on the field (the services refuse them too,
    with the same rule: mesa_cs.lib.luhn)."""

    no_card_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.no_card_fields:
            if name in self.fields:
                self.fields[name].validators.append(validate_no_card_number)

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.errors:
            mask_refused_card_numbers(self, [n for n in self.no_card_fields if n in self.errors])

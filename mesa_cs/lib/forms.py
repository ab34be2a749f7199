"""Form helpers shared by the apps' views."""

from django.core.exceptions import ValidationError

from mesa_cs.lib.luhn import validate_no_card_number


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field it
    names when the form has that field, above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


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

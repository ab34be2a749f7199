"""Every state a clerk enters is picked from the one list (mesa_cs.lib.states),
Arizona unless another is chosen."""

import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from mesa_cs.lib.states import DEFAULT_STATE, STATE_CHOICES
from tests.accounts.test_service_lifecycle import metered_home
from tests.factories import AccountFactory, agreement


def _project_apps() -> list[str]:
    """The product's own apps (the demo city builds through them)."""
    base = Path(settings.BASE_DIR)
    return [
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(base) and config.name not in ("demo", "bench")
    ]


PROJECT_APPS = _project_apps()


def _project_forms():
    for name in PROJECT_APPS:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if ".forms" in module.name or module.name.endswith("forms"):
                importlib.import_module(module.name)
    seen, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [c for c in seen if c.__module__.split(".")[0] in PROJECT_APPS]


def _is_state(name: str) -> bool:
    return name == "state" or name.endswith("_state")


def test_every_state_field_in_a_form_is_the_dropdown_defaulting_to_az():
    found = []
    for form in _project_forms():
        for name, field in getattr(form, "base_fields", {}).items():
            if _is_state(name):
                found.append(f"{form.__name__}.{name}")
                assert isinstance(field, forms.ChoiceField), found[-1]
                assert [c for c in field.choices if c[0]] == STATE_CHOICES, found[-1]
                assert field.initial == DEFAULT_STATE, found[-1]
    assert {"PersonForm.mailing_state", "StopForm.mailing_state"} <= set(found)


def test_every_state_column_takes_its_choices_from_the_one_list():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if _is_state(field.name) and getattr(field, "max_length", None) == 2:
                assert list(field.choices) == STATE_CHOICES, f"{model.__name__}.{field.name}"


@pytest.mark.django_db
def test_the_start_and_stop_pages_offer_az_selected(client_as):
    client = client_as("Customer Service Clerk")
    start = client.get(reverse("accounts:start_customer")).content.decode()
    assert '<select name="mailing_state"' in start
    assert '<option value="AZ" selected>AZ – Arizona</option>' in start
    home = metered_home("2255 E Brown Rd", "W55500909")
    account = AccountFactory()
    agreement(account, premise_obj=home, service_point=home.service_points.get(), status="active")
    stop = client.get(reverse("accounts:stop", args=[account.number])).content.decode()
    assert '<select name="mailing_state"' in stop
    assert '<option value="AZ" selected>AZ – Arizona</option>' in stop


@pytest.mark.django_db
def test_a_customer_without_a_mailing_address_keeps_no_state(client_as):
    from accounts.models import Person

    client = client_as("Customer Service Clerk")
    base = {"first_name": "Ana", "last_name": "Reyes", "preferred_language": "en"}
    client.post(reverse("accounts:start_customer"), {**base, "mailing_state": "AZ"})
    assert Person.objects.get(last_name="Reyes").mailing_state == ""
    client.post(
        reverse("accounts:start_customer"),
        {
            **base,
            "last_name": "Ruiz",
            "mailing_line1": "PO Box 12",
            "mailing_city": "Tempe",
            "mailing_state": "AZ",
            "mailing_zip": "85281",
        },
    )
    assert Person.objects.get(last_name="Ruiz").mailing_state == "AZ"

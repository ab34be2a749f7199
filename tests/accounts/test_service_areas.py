"""Service areas come from one list (issue 13 item 7: not "EAST" beside "Central")."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from accounts.models import Premise, ServiceArea
from accounts.selectors.accounts import service_areas
from accounts.services import premise_create

pytestmark = pytest.mark.django_db

STREET = {"street_name": "Ray", "direction": "E", "street_type": "Rd", "zip_code": "85212"}


def test_the_dispatch_and_route_lists_are_the_one_list():
    assert service_areas() == ["Central", "Northeast", "Southeast", "West"] == ServiceArea.values


def test_a_premise_in_an_area_spelled_its_own_way_is_refused():
    with pytest.raises(ValidationError, match="service_area"):
        premise_create(house_number="1", service_area="EAST", **STREET)
    assert premise_create(house_number="2", service_area=ServiceArea.SOUTHEAST, **STREET)


def test_the_data_fix_puts_old_spellings_on_the_list():
    fix = importlib.import_module("accounts.migrations.0023_service_areas_from_one_list")
    usual = premise_create(house_number="3", service_area=ServiceArea.SOUTHEAST, **STREET)
    east = premise_create(house_number="4", **STREET)
    central = premise_create(house_number="5", **{**STREET, "zip_code": "85203"})
    lonely = premise_create(house_number="6", **{**STREET, "zip_code": "85213"})
    Premise.objects.filter(pk=east.pk).update(service_area="EAST")
    Premise.objects.filter(pk=central.pk).update(service_area="CENTRAL")
    Premise.objects.filter(pk=lonely.pk).update(service_area="Far east")

    fix.to_the_list(apps, None)

    areas = dict(Premise.objects.values_list("pk", "service_area"))
    assert areas[east.pk] == "Southeast"  # the area of its ZIP's premises
    assert areas[central.pk] == "Central"  # the listed spelling
    assert areas[lonely.pk] == "Far east"  # nothing to go by: a person decides
    assert areas[usual.pk] == "Southeast"

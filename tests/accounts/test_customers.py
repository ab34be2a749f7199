import pytest
from django.core.exceptions import ValidationError

from accounts.models import Person, Premise
from accounts.services import person_create, premise_create
from accounts.validators import validate_account_number

pytestmark = pytest.mark.django_db


def test_bad_phone_email_and_zip_are_refused_field_by_field():
    with pytest.raises(ValidationError) as error:
        person_create(
            first_name="Ana",
            last_name="Cruz",
            phone="12345",
            email="not-an-email",
            mailing_zip="8520",
        )
    assert set(error.value.message_dict) == {"phone", "email", "mailing_zip"}
    assert not Person.objects.exists()


def test_phones_are_kept_as_ten_digits():
    person = person_create(first_name="Ana", last_name="Cruz", phone="(480) 644-2221")
    assert person.phone == "4806442221"


def test_a_person_needs_a_name():
    with pytest.raises(ValidationError):
        person_create(first_name="Ana")


def test_a_premise_outside_mesa_or_with_a_bad_parcel_is_refused():
    with pytest.raises(ValidationError) as error:
        premise_create(house_number="12A", street_name="Main", zip_code="85001", parcel="12-3")
    assert set(error.value.message_dict) == {"house_number", "zip_code", "parcel"}
    assert not Premise.objects.exists()


def test_premises_are_keyed_by_their_normalised_address():
    premise = premise_create(
        house_number="1425",
        direction="e",
        street_name="University",
        street_type="Drive",
        zip_code="85203",
    )
    assert premise.address_key == "1425 E UNIVERSITY DR"


@pytest.mark.parametrize(
    ("number", "message"),
    [("123456789", "10 digits"), ("1000000017", "check digit"), ("10000000a6", "10 digits")],
)
def test_account_numbers_are_checked(number, message):
    with pytest.raises(ValidationError, match=message):
        validate_account_number(number)
    validate_account_number("1000000016")

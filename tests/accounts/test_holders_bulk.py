"""accounts.services.customers.holders_create_many: the bulk version of
person_create + account_create that alarm registrations use."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Account, AccountPerson, Person
from accounts.services.customers import HolderSpec, holders_create_many, person_create

pytestmark = pytest.mark.django_db


def spec(**person):
    return HolderSpec(
        person={"mailing_line1": "1 N Center St", "mailing_city": "Mesa", **person},
        kind=Account.Kind.ALARM,
        customer_class="residential",
        opened_on=date(2026, 11, 30),
    )


def test_each_holder_gets_a_person_an_account_and_the_link():
    accounts = holders_create_many(
        [
            spec(first_name="Ana", last_name="Ruiz", phone="(480) 555-0101"),
            spec(business_name="Sun Co"),
        ]
    )
    assert [a.name for a in accounts] == ["Ana Ruiz", "Sun Co"]
    assert all(a.kind == "alarm" and len(a.number) == 10 for a in accounts)
    link = AccountPerson.objects.get(account=accounts[0])
    assert (link.role, link.person.phone) == ("main", "4805550101")


def test_a_holder_without_a_name_or_with_a_bad_field_is_refused_by_position():
    with pytest.raises(ValidationError, match="holder 2: give a business name"):
        holders_create_many([spec(business_name="Sun Co"), spec(first_name="Ana")])
    with pytest.raises(ValidationError, match="holder 1"):
        holders_create_many([spec(business_name="X" * 201)])
    assert not Person.objects.exists()


def test_their_inserts_are_left_to_the_import_but_changes_are_audited():
    from accounts.models import Person as P

    one = person_create(first_name="Lee", last_name="Park")
    accounts = holders_create_many([spec(first_name="Ana", last_name="Ruiz")])
    events = P.pgh_event_model.objects
    assert events.filter(pgh_obj_id=one.pk, pgh_label="insert").exists()
    bulk = AccountPerson.objects.get(account=accounts[0]).person
    assert not events.filter(pgh_obj_id=bulk.pk, pgh_label="insert").exists()
    bulk.email = "ana@example.com"
    bulk.save()
    assert events.filter(pgh_obj_id=bulk.pk, pgh_label="update").exists()

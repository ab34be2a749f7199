from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import Account, Person, ServiceAgreement
from accounts.services import account_number_next, premise_create
from mesa_cs.lib.roles import Role
from staffing.models import Section, WorkItem


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("mesa-demo")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=Role(extracted).value))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    phone = factory.Sequence(lambda n: f"480555{n % 10000:04d}")


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    number = factory.LazyFunction(account_number_next)
    name = factory.Faker("name")
    bill_cycle = 1


def premise(address="1425 E University Dr", zip_code="85203", unit=""):
    number, direction, *street = address.split()
    street_type = street.pop() if len(street) > 1 else ""
    return premise_create(
        house_number=number,
        direction=direction,
        street_name=" ".join(street),
        street_type=street_type,
        zip_code=zip_code,
        unit=unit,
    )


def agreement(account, utility="water", schedule="W1.1", premise_obj=None, **fields):
    return ServiceAgreement.objects.create(
        account=account,
        premise=premise_obj or premise(),
        utility=utility,
        rate_schedule=schedule,
        starts_on=fields.pop("starts_on", date(2025, 1, 1)),
        **fields,
    )


class WorkItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkItem

    kind = "read_exception"
    section = Section.ACCOUNT_MAINTENANCE
    title = factory.Sequence(lambda n: f"Work item {n}")

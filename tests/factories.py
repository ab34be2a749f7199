import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import Account
from accounts.services import account_number_next
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


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    number = factory.LazyFunction(account_number_next)
    name = factory.Faker("name")


class WorkItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkItem

    kind = "read_exception"
    section = Section.ACCOUNT_MAINTENANCE
    title = factory.Sequence(lambda n: f"Work item {n}")

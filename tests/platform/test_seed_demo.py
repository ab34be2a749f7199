import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from mesa_cs.lib.roles import Role
from staffing.models import WorkItem

pytestmark = pytest.mark.django_db

DEMO = ["clerk", "cashier", "billing", "credit", "alarms", "ems", "supervisor", "admin"]


def test_seed_demo_creates_every_login_with_its_role(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    users = get_user_model().objects.in_bulk(DEMO, field_name="username")
    assert sorted(users) == sorted(DEMO)
    for user in users.values():
        assert user.check_password("mesa-demo")
        assert user.groups.count() == 1
    assert users["admin"].groups.get().name == Role.ADMINISTRATOR
    assert users["admin"].is_staff and not users["clerk"].is_staff
    assert WorkItem.objects.exists()


def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (get_user_model().objects.count(), WorkItem.objects.count())
    call_command("seed_demo")
    call_command("seed_demo", if_empty=True)
    assert (get_user_model().objects.count(), WorkItem.objects.count()) == counts


def test_seed_demo_refuses_production_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing with DEBUG=0"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="clerk").exists()
    call_command("seed_demo", force=True)
    assert get_user_model().objects.filter(username="clerk").exists()

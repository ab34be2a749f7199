"""The user that batch jobs act as when no person started them."""

from django.contrib.auth import get_user_model

SYSTEM_USERNAME = "mesa-cs-system"


def system_user():
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "first_name": "Mesa CS (batch)"}
    )
    if created:
        # Nobody signs in as the batch user.
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user

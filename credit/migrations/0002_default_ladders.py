"""The collection ladders the product ships with, frozen here as they stood
when this migration was written, so editing credit/rules/ladders.py never
changes what this migration installs (tests/platform/test_migrations_frozen.py
compares the two). A customer class that already has a ladder keeps it."""

from decimal import Decimal

from django.db import migrations

NOTICE_TEXT = (
    "Your utility account is past due by {amount}. To avoid disconnection, pay the past-due "
    "amount by {date}. A $3.00 notice charge has been added. Call 480-644-2221 to ask about a "
    "payment arrangement or bill assistance."
)
REMINDER_TEXT = (
    "Our records show {amount} past due on your utility account. Please pay by {date} or call "
    "480-644-2221."
)
FINAL_TEXT = (
    "Your final bill has {amount} unpaid. Please pay by {date}; unpaid final bills are referred "
    "to a collection agency."
)
# (position, action, delay days, channel, fee, notice text)
STEPS = [
    (1, "reminder", 5, "letter", Decimal("0.00"), REMINDER_TEXT),
    (2, "notice", 10, "door_hanger", Decimal("3.00"), NOTICE_TEXT),
    (3, "eligible", 10, "queue", Decimal("0.00"), ""),
    (4, "disconnect", 1, "field", Decimal("0.00"), ""),
    (5, "final_collection", 15, "letter", Decimal("0.00"), FINAL_TEXT),
    (6, "agency", 45, "file", Decimal("0.00"), ""),
    (7, "write_off", 90, "queue", Decimal("0.00"), ""),
]
LADDERS = {"residential": "Residential collections", "commercial": "Commercial collections"}


def install(apps, schema_editor):
    CollectionLadder = apps.get_model("credit", "CollectionLadder")
    LadderStep = apps.get_model("credit", "LadderStep")
    for customer_class, name in LADDERS.items():
        ladder, created = CollectionLadder.objects.get_or_create(
            customer_class=customer_class, defaults={"name": name}
        )
        if not created:
            continue
        for position, action, delay, channel, fee, text in STEPS:
            LadderStep.objects.create(
                ladder=ladder,
                position=position,
                action=action,
                delay_days=delay,
                channel=channel,
                fee=fee,
                notice_text=text,
            )


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_collections")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

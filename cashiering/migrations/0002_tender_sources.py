"""The tender sources the product ships with, frozen here as they stood when
this migration was written, so editing cashiering/rules/sources.py never
changes what this migration installs (tests/platform/test_migrations_frozen.py
compares the two). A source that already exists is kept."""

from django.db import migrations

# (code, name, kind, office)
SOURCES = [
    ("MAIN", "Main counter drawer", "drawer", "Main (55 N Center St)"),
    ("EAST", "East counter drawer", "drawer", "East (6935 E Decatur St)"),
    ("KIOSK", "Payment kiosks", "file", "Unattended Payment Center"),
    ("DROPBOX", "Drop box", "file", "Unattended Payment Center"),
    ("LOCKBOX", "Bank lockbox", "file", "Bank"),
    ("ONLINE", "Online payments", "file", "Bank"),
    ("ACH", "ACH", "file", "Bank"),
]


def create_sources(apps, schema_editor):
    TenderSource = apps.get_model("cashiering", "TenderSource")
    for code, name, kind, office in SOURCES:
        TenderSource.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "office": office}
        )


class Migration(migrations.Migration):
    dependencies = [("cashiering", "0001_drawers_payments_files_suspense")]

    operations = [migrations.RunPython(create_sources, migrations.RunPython.noop)]

from django.db import migrations

from cashiering.rules.sources import install_sources


def create_sources(apps, schema_editor):
    install_sources(apps.get_model("cashiering", "TenderSource"))


class Migration(migrations.Migration):
    dependencies = [("cashiering", "0001_drawers_payments_files_suspense")]

    operations = [migrations.RunPython(create_sources, migrations.RunPython.noop)]

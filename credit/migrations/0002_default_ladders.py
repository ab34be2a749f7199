from django.db import migrations

from credit.rules.ladders import install_default_ladders


def install(apps, schema_editor):
    install_default_ladders(
        apps.get_model("credit", "CollectionLadder"), apps.get_model("credit", "LadderStep")
    )


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_collections")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

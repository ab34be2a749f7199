from django.db import migrations

from accounts.rules.chart import install_standard_chart, standard_chart


def create_chart(apps, schema_editor):
    install_standard_chart(apps.get_model("accounts", "GLAccount"))


def remove_chart(apps, schema_editor):
    codes = [row[0] for row in standard_chart()]
    apps.get_model("accounts", "GLAccount").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_ledger_triggers")]

    operations = [migrations.RunPython(create_chart, remove_chart)]

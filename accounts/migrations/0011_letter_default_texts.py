from django.db import migrations

from accounts.rules.letter_texts import DEFAULT_TEMPLATES, install_default_templates


def install_texts(apps, schema_editor):
    install_default_templates(apps.get_model("accounts", "LetterTemplate"))


def remove_texts(apps, schema_editor):
    apps.get_model("accounts", "LetterTemplate").objects.filter(
        kind__in=list(DEFAULT_TEMPLATES)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0010_letters")]

    operations = [migrations.RunPython(install_texts, remove_texts)]

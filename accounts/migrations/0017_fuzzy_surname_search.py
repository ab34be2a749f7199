"""Search that forgives typing: fuzzystrmatch gives the Double Metaphone keys
(how a surname sounds) and the edit distance; the indexes let the search look
up a misspelt surname's sound-alikes and its two-letter prefix without reading
every person. The extension's functions are IMMUTABLE, so they may index."""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import CreateExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0016_bill_cycle_for_served_accounts"),
    ]

    operations = [
        CreateExtension("fuzzystrmatch"),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                models.Func("last_name", function="dmetaphone"), name="person_surname_sound"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                models.Func("last_name", function="dmetaphone_alt"), name="person_surname_sound_alt"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Lower("last_name"), name="text_pattern_ops"
                ),
                name="person_surname_lower",
            ),
        ),
    ]

"""The misspelt-surname search reads the distinct surnames that sound like a
typed word by skipping through the sound index from one surname to the next
(a loose index scan), which needs the surname in the index after the key: the
key alone made it read every person with that key (1,300 Smiths at 200,000
accounts) to find a handful of surnames. These replace the key-only indexes."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0023_service_areas_from_one_list"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="person",
            name="person_surname_sound",
        ),
        migrations.RemoveIndex(
            model_name="person",
            name="person_surname_sound_alt",
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                models.Func("last_name", function="dmetaphone"),
                django.db.models.functions.text.Lower("last_name"),
                name="person_sound_surname",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                models.Func("last_name", function="dmetaphone_alt"),
                django.db.models.functions.text.Lower("last_name"),
                name="person_sound_alt_surname",
            ),
        ),
    ]

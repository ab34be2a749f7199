"""Contacts get a topic of their own for letters a flow mails by itself."""

from django.db import migrations, models

TOPICS = [
    ("billing", "Bill question"),
    ("payment", "Payment"),
    ("start_stop", "Start, stop or transfer"),
    ("collections", "Collections"),
    ("arrangement", "Payment arrangement"),
    ("service_order", "Field service"),
    ("solid_waste", "Solid waste"),
    ("alarm", "Alarm permit"),
    ("assistance", "Assistance program"),
    ("complaint", "Complaint"),
    ("letter", "Automatic letter"),
    ("other", "Other"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0018_mailing_state_named_choices"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contact",
            name="topic",
            field=models.CharField(
                choices=TOPICS,
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="contactevent",
            name="topic",
            field=models.CharField(
                choices=TOPICS,
                max_length=20,
            ),
        ),
    ]

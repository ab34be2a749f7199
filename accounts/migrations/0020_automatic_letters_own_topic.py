"""Letters the flows mailed by themselves (welcome, deposit required or
refunded, final bill) were logged as "Bill question" or "Start, stop or
transfer"; they now have their own topic. Move those already logged: the
contact each such letter points to. A clerk's general letter stays "Other"."""

from django.db import migrations

AUTOMATIC_KINDS = ("welcome", "deposit_required", "deposit_refund", "final_bill")


def automatic_letters_own_topic(apps, schema_editor):
    Contact = apps.get_model("accounts", "Contact")
    Letter = apps.get_model("accounts", "Letter")
    logged = Letter.objects.filter(kind__in=AUTOMATIC_KINDS, contact__isnull=False).values(
        "contact_id"
    )
    Contact.objects.filter(pk__in=logged).update(topic="letter")


def back_to_the_old_topics(apps, schema_editor):
    Contact = apps.get_model("accounts", "Contact")
    Letter = apps.get_model("accounts", "Letter")
    old = {
        "welcome": "start_stop",
        "final_bill": "start_stop",
        "deposit_required": "billing",
        "deposit_refund": "billing",
    }
    for kind, topic in old.items():
        logged = Letter.objects.filter(kind=kind, contact__isnull=False).values("contact_id")
        Contact.objects.filter(pk__in=logged, topic="letter").update(topic=topic)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0019_contact_topic_automatic_letter"),
    ]

    operations = [
        migrations.RunPython(automatic_letters_own_topic, back_to_the_old_topics),
    ]

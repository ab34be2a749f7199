"""Accounts opened by start service before it assigned a bill cycle have none,
and bill runs select by cycle, so they were never billed. Give each active
account with open service its premise's cycle: that of the last other account
served there, else one fixed by the premise's id (the rule start service
follows, frozen here as it stood so the migration never imports live code)."""

from django.db import migrations

CYCLES = 20
OPEN = ("pending", "active", "disconnected")


def assign_bill_cycles(apps, schema_editor):
    Account = apps.get_model("accounts", "Account")
    ServiceAgreement = apps.get_model("accounts", "ServiceAgreement")
    missing = Account.objects.filter(
        status="active", bill_cycle__isnull=True, agreements__status__in=OPEN
    ).distinct()
    for account in missing.order_by("pk").iterator(chunk_size=500):
        premise_id = (
            ServiceAgreement.objects.filter(account=account, status__in=OPEN)
            .order_by("starts_on", "pk")
            .values_list("premise_id", flat=True)
            .first()
        )
        cycle = (
            ServiceAgreement.objects.filter(
                premise_id=premise_id, account__bill_cycle__isnull=False
            )
            .order_by("-starts_on", "-pk")
            .values_list("account__bill_cycle", flat=True)
            .first()
        )
        Account.objects.filter(pk=account.pk).update(bill_cycle=cycle or premise_id % CYCLES + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0015_letter_spanish"),
    ]

    operations = [
        migrations.RunPython(assign_bill_cycles, migrations.RunPython.noop, elidable=True),
    ]

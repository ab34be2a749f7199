from django.db import migrations


def create_cycles(apps, schema_editor):
    BillCycle = apps.get_model("billing", "BillCycle")
    for number in range(1, 21):
        BillCycle.objects.get_or_create(number=number, defaults={"name": f"Cycle {number}"})


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_rate_book_cycles_runs_bills")]

    operations = [migrations.RunPython(create_cycles, migrations.RunPython.noop)]

"""The standard chart of accounts the product ships with. The rows are
frozen here as they stood when this migration was written, so editing
accounts/rules/chart.py never changes what this migration installs
(tests/platform/test_migrations_frozen.py compares the two). Only what is
missing is added; administrators add and deactivate accounts in admin."""

from django.db import migrations

# (code, name, purpose, utility, rate schedule)
CHART = [
    ("1010", "Cash and deposits in transit", "cash", "", ""),
    ("1190", "Customer receivable, fees and credits", "receivable", "", ""),
    ("2100", "Customer deposits held", "deposits", "", ""),
    ("2200", "Sales tax payable", "tax", "", ""),
    ("2300", "Suspense, unapplied cash", "suspense", "", ""),
    ("2400", "Customer refunds payable", "refunds", "", ""),
    ("4800", "Alarm permit and false alarm fees", "alarm_fees", "", ""),
    ("4900", "Service fees (set-up, connection, late, returned payment)", "fees", "", ""),
    ("6100", "Bad debt expense", "bad_debt", "", ""),
    ("6200", "Cash over and short", "over_short", "", ""),
    ("1101", "Customer receivable, electric", "receivable", "electric", ""),
    ("4100", "Electric revenue", "revenue", "electric", ""),
    ("4101", "Electric revenue, E1.1", "revenue", "electric", "E1.1"),
    ("4102", "Electric revenue, E3.1", "revenue", "electric", "E3.1"),
    ("1102", "Customer receivable, natural gas", "receivable", "gas", ""),
    ("4200", "Natural gas revenue", "revenue", "gas", ""),
    ("4201", "Natural gas revenue, G1.1", "revenue", "gas", "G1.1"),
    ("1103", "Customer receivable, water", "receivable", "water", ""),
    ("4300", "Water revenue", "revenue", "water", ""),
    ("4301", "Water revenue, W1.1", "revenue", "water", "W1.1"),
    ("4302", "Water revenue, W3.1", "revenue", "water", "W3.1"),
    ("1104", "Customer receivable, wastewater", "receivable", "wastewater", ""),
    ("4400", "Wastewater revenue", "revenue", "wastewater", ""),
    ("4401", "Wastewater revenue, S1.1", "revenue", "wastewater", "S1.1"),
    ("4402", "Wastewater revenue, S3.1", "revenue", "wastewater", "S3.1"),
    ("1105", "Customer receivable, solid waste", "receivable", "solid_waste", ""),
    ("4500", "Solid waste revenue", "revenue", "solid_waste", ""),
    ("4501", "Solid waste revenue, SW1.1", "revenue", "solid_waste", "SW1.1"),
    ("4502", "Solid waste revenue, SW1.2", "revenue", "solid_waste", "SW1.2"),
    ("4503", "Solid waste revenue, SW1.3", "revenue", "solid_waste", "SW1.3"),
    ("4504", "Solid waste revenue, SW3.1", "revenue", "solid_waste", "SW3.1"),
    ("1106", "Customer receivable, irrigation", "receivable", "irrigation", ""),
    ("4600", "Irrigation revenue", "revenue", "irrigation", ""),
    ("4601", "Irrigation revenue, I1.1", "revenue", "irrigation", "I1.1"),
]


def create_chart(apps, schema_editor):
    GLAccount = apps.get_model("accounts", "GLAccount")
    for code, name, purpose, utility, schedule in CHART:
        GLAccount.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "purpose": purpose,
                "utility": utility,
                "rate_schedule": schedule,
            },
        )


def remove_chart(apps, schema_editor):
    codes = [row[0] for row in CHART]
    apps.get_model("accounts", "GLAccount").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_ledger_triggers")]

    operations = [migrations.RunPython(create_chart, remove_chart)]

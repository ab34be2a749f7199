from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_account")]

    # New account numbers: 9 digits from this sequence plus a Luhn check digit.
    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE accounts_account_number_seq START 100000001 MAXVALUE 999999999;",
            "DROP SEQUENCE accounts_account_number_seq;",
        )
    ]

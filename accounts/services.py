from django.db import connection, transaction

from mesa_cs.lib.luhn import luhn_check_digit

from .models import Account


def account_number_next() -> str:
    """A new 10-digit account number: 9 digits from a sequence, then a Luhn digit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('accounts_account_number_seq')")
        (payload,) = cursor.fetchone()
    payload = f"{payload:09d}"
    return payload + luhn_check_digit(payload)


@transaction.atomic
def account_create(*, name: str, kind=Account.Kind.UTILITY, customer_class=None) -> Account:
    account = Account(
        number=account_number_next(),
        name=name,
        kind=kind,
        customer_class=customer_class or Account.CustomerClass.RESIDENTIAL,
    )
    account.full_clean()
    account.save()
    return account

import json

from django.core.management.base import BaseCommand, CommandError

from accounts.selectors import account_aging, account_by_number, account_history
from accounts.validators import validate_account_number


class Command(BaseCommand):
    help = "Print an account's statement: balance, past due and every ledger entry."

    def add_arguments(self, parser):
        parser.add_argument("number", help="10-digit account number")
        parser.add_argument("--json", action="store_true", help="Print JSON (the only format).")

    def handle(self, *args, number, **options):
        from django.core.exceptions import ValidationError

        try:
            validate_account_number(number)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        account = account_by_number(number)
        if account is None:
            raise CommandError(f"no account {number}")
        aging = account_aging(account.pk)
        statement = {
            "account": account.number,
            "balance": str(aging.balance),
            "past_due": str(aging.past_due),
            "entries": [
                {
                    "date": row.effective_on.isoformat(),
                    "kind": row.kind,
                    "description": row.description,
                    "amount": str(row.amount),
                }
                for row in account_history(account.pk)
            ],
        }
        self.stdout.write(json.dumps(statement, indent=None if options["json"] else 2))

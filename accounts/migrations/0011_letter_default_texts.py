"""The letters' shipped English wording, frozen here as it stood when this
migration was written, so editing accounts/rules/letter_texts.py never
changes what this migration installs (tests/platform/test_migrations_frozen.py
compares the two). A kind that already has a template keeps it."""

from django.db import migrations

_CALL_US = (
    "If you have questions, please call us at 480-644-2221 or visit our office "
    "at 55 N Center St, Mesa AZ 85201."
)


def _paragraphs(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


# kind: (name, subject, body)
TEMPLATES = {
    "welcome": (
        "Welcome letter",
        "Welcome to City of Mesa Utilities",
        _paragraphs(
            "Dear {{ customer_name }},",
            "Welcome to City of Mesa Utilities. Your service at {{ service_address }} "
            "starts on {{ start_date }} under account number {{ account_number }}.",
            "Services: {{ services }}\n"
            "Connection fees: {{ fees_total }}\n"
            "Deposit: {{ deposit_amount }}",
            "Connection fees and any deposit appear on your first bill, which is mailed "
            "to {{ mailing_address }}. Please have your account number ready when you "
            "call or pay.",
            _CALL_US,
            "Thank you for choosing City of Mesa Utilities.",
        ),
    ),
    "deposit_required": (
        "Deposit required",
        "A deposit is required on account {{ account_number }}",
        _paragraphs(
            "Dear {{ customer_name }},",
            "A deposit of {{ deposit_amount }} is required on utility account "
            "{{ account_number }} for service at {{ service_address }}.",
            "Reason: {{ deposit_reason }}",
            "Please pay the deposit by {{ due_date }}. You may pay at our office, by mail "
            "or by phone. If you cannot pay the whole amount at once, please call us to "
            "ask about paying it in installments.",
            "Your deposit is credited back to your account after a record of on-time "
            "payments, or applied to your final bill when your service ends.",
            _CALL_US,
        ),
    ),
    "deposit_refund": (
        "Deposit refund",
        "Your deposit on account {{ account_number }} is being returned",
        _paragraphs(
            "Dear {{ customer_name }},",
            "We are pleased to let you know that your deposit on utility account "
            "{{ account_number }} is being returned to you.",
            "Refund amount: {{ refund_amount }}\n"
            "Refund method: {{ refund_method }}\n"
            "Account balance today: {{ balance }}",
            "Thank you for paying on time.",
            _CALL_US,
        ),
    ),
    "final_bill": (
        "Final bill",
        "Final bill for account {{ account_number }}",
        _paragraphs(
            "Dear {{ customer_name }},",
            "Your utility service at {{ service_address }} stopped on {{ stop_date }}. "
            "This is the final bill for account {{ account_number }}.",
            "Final bill amount: {{ final_bill_amount }}\n"
            "Deposit applied: {{ deposit_applied }}\n"
            "Account balance today: {{ balance }}\n"
            "Please pay by: {{ due_date }}",
            "If your account shows a credit, the refund is mailed to {{ mailing_address }}. "
            "Please let us know if that address is not correct.",
            "Thank you for being a City of Mesa Utilities customer. " + _CALL_US,
        ),
    ),
    "general": (
        "General letter",
        "About your utility account {{ account_number }}",
        _paragraphs("Dear {{ customer_name }},", "{{ message }}", _CALL_US),
    ),
}


def install_texts(apps, schema_editor):
    LetterTemplate = apps.get_model("accounts", "LetterTemplate")
    for kind, (name, subject, body) in TEMPLATES.items():
        LetterTemplate.objects.get_or_create(
            kind=kind, defaults={"name": name, "subject": subject, "body": body}
        )


def remove_texts(apps, schema_editor):
    apps.get_model("accounts", "LetterTemplate").objects.filter(kind__in=list(TEMPLATES)).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0010_letters")]

    operations = [migrations.RunPython(install_texts, remove_texts)]

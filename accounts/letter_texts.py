"""The letters' vocabulary: which merge fields each kind of letter may use,
how ``{{ field }}`` is filled in, and the wording the product ships with.

Supervisors edit letter text, so it is never a Django template: a merge field
is replaced by plain text in one regular-expression pass, and what is put in
is never read again for fields (a customer's message containing
``{{ balance }}`` stays as typed). docs/letters.md describes all of it.

Kept apart from the models so that migration 0010 can install the defaults
with the historical model, as accounts/chart.py does for the chart.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from mesa_cs.lib.money import to_money

WELCOME = "welcome"
DEPOSIT_REQUIRED = "deposit_required"
DEPOSIT_REFUND = "deposit_refund"
FINAL_BILL = "final_bill"
GENERAL = "general"

KIND_LABELS = {
    WELCOME: "Welcome",
    DEPOSIT_REQUIRED: "Deposit required",
    DEPOSIT_REFUND: "Deposit refund",
    FINAL_BILL: "Final bill",
    GENERAL: "General letter",
}

# Filled from the account by letter_send for every letter.
COMMON_FIELDS = (
    "customer_name",
    "account_number",
    "service_address",
    "mailing_address",
    "today",
    "balance",
)
# Given by the flow that sends the letter (letter_send's ``merge``).
KIND_FIELDS = {
    WELCOME: ("start_date", "services", "fees_total", "deposit_amount"),
    DEPOSIT_REQUIRED: ("deposit_amount", "deposit_reason", "due_date"),
    DEPOSIT_REFUND: ("refund_amount", "refund_method"),
    FINAL_BILL: ("final_bill_amount", "deposit_applied", "due_date", "stop_date"),
    GENERAL: ("message",),
}

FIELD_HELP = {
    "customer_name": "The main customer's name (a business name if there is one)",
    "account_number": "The 10-digit account number",
    "service_address": "The first service address on the account, on one line",
    "mailing_address": "Where bills are mailed, on one line (the service address if none)",
    "today": "The date the letter is sent, e.g. March 5, 2026",
    "balance": "The account balance when the letter is sent, e.g. $88.20 or $12.00 credit",
    "start_date": "The date service starts",
    "services": "The services started, e.g. Water, Wastewater, Solid waste",
    "fees_total": "Connection fees charged for the start",
    "deposit_amount": "The deposit asked for",
    "deposit_reason": "Why the deposit is required",
    "due_date": "The date payment is due",
    "refund_amount": "The deposit refunded",
    "refund_method": "How the refund is paid, e.g. credited to the account or by check",
    "final_bill_amount": "The amount of the final bill",
    "deposit_applied": "The deposit applied to the final bill",
    "stop_date": "The date service stopped",
    "message": "The message the clerk writes",
}

# Shown in the editor's preview, so supervisors see a whole letter.
SAMPLE_VALUES = {
    "customer_name": "Maria Gonzales",
    "account_number": "1000000018",
    "service_address": "1425 E University Dr, Mesa, AZ 85203",
    "mailing_address": "PO Box 2210, Mesa, AZ 85214",
    "balance": "$88.20",
    "start_date": "March 2, 2026",
    "services": "Water, Wastewater, Solid waste",
    "fees_total": "$40.00",
    "deposit_amount": "$50.00",
    "deposit_reason": "No payment history with the City in the last 12 months",
    "due_date": "March 23, 2026",
    "refund_amount": "$50.00",
    "refund_method": "Credited to your account",
    "final_bill_amount": "$63.75",
    "deposit_applied": "$50.00",
    "stop_date": "February 27, 2026",
    "message": "This is where the message the clerk writes appears.",
}

SIGNATURE = ("Customer Service", "City of Mesa Utilities")
LETTERHEAD = ("City of Mesa Utilities", "55 N Center St, Mesa AZ 85201", "480-644-2221")

# Anything between double braces is a merge field, so a misspelt one
# ("{{ customer-name }}") is refused rather than printed as written.
FIELD_PATTERN = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def allowed_fields(kind: str) -> tuple[str, ...]:
    return COMMON_FIELDS + KIND_FIELDS.get(kind, ())


def fields_used(text: str) -> list[str]:
    """The merge fields a text names, in order of first use."""
    return list(dict.fromkeys(match.strip() for match in FIELD_PATTERN.findall(text)))


def unknown_fields(kind: str, *texts: str) -> list[str]:
    allowed = set(allowed_fields(kind))
    return [name for text in texts for name in fields_used(text) if name not in allowed]


def token(name: str) -> str:
    return "{{ " + name + " }}"


def merge(text: str, values: dict[str, str]) -> str:
    """Replace each ``{{ name }}`` that ``values`` has; leave the rest as written."""

    def fill(match: re.Match) -> str:
        name = match.group(1).strip()
        return values[name] if name in values else match.group(0)

    return FIELD_PATTERN.sub(fill, text)


def letter_money(amount: Decimal) -> str:
    """$1,234.50, or -$12.00."""
    amount = to_money(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def letter_balance(amount: Decimal) -> str:
    """A balance as a customer reads it: what is owed, or a credit."""
    amount = to_money(amount)
    if amount < 0:
        return f"{letter_money(-amount)} credit"
    return letter_money(amount)


def letter_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def sample_values(kind: str, today: date) -> dict[str, str]:
    values = {name: SAMPLE_VALUES.get(name, "") for name in allowed_fields(kind)}
    values["today"] = letter_date(today)
    return values


_CALL_US = (
    "If you have questions, please call us at 480-644-2221 or visit our office "
    "at 55 N Center St, Mesa AZ 85201."
)


def _paragraphs(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


# kind: (name, subject, body). Plain and polite; a supervisor may reword them.
DEFAULT_TEMPLATES = {
    WELCOME: (
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
    DEPOSIT_REQUIRED: (
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
    DEPOSIT_REFUND: (
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
    FINAL_BILL: (
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
    GENERAL: (
        "General letter",
        "About your utility account {{ account_number }}",
        _paragraphs("Dear {{ customer_name }},", "{{ message }}", _CALL_US),
    ),
}


def install_default_templates(template_model) -> int:
    """Create each kind's template that is missing; edited ones are kept.
    Takes the model so a data migration can pass the historical one."""
    created = 0
    for kind, (name, subject, body) in DEFAULT_TEMPLATES.items():
        _, was_created = template_model.objects.get_or_create(
            kind=kind, defaults={"name": name, "subject": subject, "body": body}
        )
        created += was_created
    return created

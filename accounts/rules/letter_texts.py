"""The letters' vocabulary: which merge fields each kind of letter may use,
how ``{{ field }}`` is filled in, and the wording the product ships with.

Supervisors edit letter text, so it is never a Django template: a merge field
is replaced by plain text in one regular-expression pass, and what is put in
is never read again for fields (a customer's message containing
``{{ balance }}`` stays as typed). docs/letters.md describes all of it.

Kept apart from the models so that migration 0010 can install the defaults
with the historical model, as accounts/rules/chart.py does for the chart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from mesa_cs.lib.formatting import money_text
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

ENGLISH = "en"
SPANISH = "es"
# The languages a letter is written in. A customer who prefers Spanish gets
# the Spanish wording when the template has it; anyone else gets English.
LANGUAGES = (ENGLISH, SPANISH)

SAMPLE_VALUES_ES = {
    **SAMPLE_VALUES,
    "start_date": "2 de marzo de 2026",
    "services": "agua, aguas residuales, recolección de residuos sólidos",
    "deposit_reason": "Sin historial de pagos con la Ciudad en los últimos 12 meses",
    "due_date": "23 de marzo de 2026",
    "refund_method": "Acreditado a su cuenta",
    "stop_date": "27 de febrero de 2026",
    "message": "Aquí aparece el mensaje que escribe el empleado.",
}

SIGNATURE = ("Customer Service", "City of Mesa Utilities")
LETTERHEAD = ("City of Mesa Utilities", "55 N Center St, Mesa AZ 85201", "480-644-2221")
SIGNATURES = {
    ENGLISH: SIGNATURE,
    SPANISH: ("Servicio al Cliente", "Servicios Públicos de la Ciudad de Mesa"),
}
LETTERHEADS = {
    ENGLISH: LETTERHEAD,
    SPANISH: ("Servicios Públicos de la Ciudad de Mesa",) + LETTERHEAD[1:],
}
# The words the printed letter adds around the template's text.
PRINT_WORDS = {
    ENGLISH: {
        "account": "Account",
        "closing": "Sincerely,",
        "attached": "A copy of this letter is attached as a PDF.",
        "page": "page",
        "of": "of",
    },
    SPANISH: {
        "account": "Cuenta",
        "closing": "Atentamente,",
        "attached": "Adjuntamos una copia de esta carta en PDF.",
        "page": "página",
        "of": "de",
    },
}
# The account statement (PDF), in the customer's language like their letters.
STATEMENT_WORDS = {
    ENGLISH: {
        "utility": "City of Mesa Utilities",
        "title": "Account statement",
        "account": "Account",
        "balance": "Balance",
        "past_due": "Past due",
        "deposit": "Deposit held",
        "date": "Date",
        "kind": "Kind",
        "description": "Description",
        "amount": "Amount",
        "scheduled": "scheduled",
        "none": "No activity.",
        "return": "Return this part with your payment.",
        "amount_due": "Amount due",
        "page": "Page",
        "of": "of",
    },
    SPANISH: {
        "utility": "Servicios Públicos de la Ciudad de Mesa",
        "title": "Estado de cuenta",
        "account": "Cuenta",
        "balance": "Saldo",
        "past_due": "Vencido",
        "deposit": "Depósito retenido",
        "date": "Fecha",
        "kind": "Tipo",
        "description": "Descripción",
        "amount": "Importe",
        "scheduled": "programado",
        "none": "Sin movimientos.",
        "return": "Devuelva esta parte con su pago.",
        "amount_due": "Importe a pagar",
        "page": "Página",
        "of": "de",
    },
}
# The ledger's kinds of entry (JournalEntry.Kind) as a Spanish statement names them.
ENTRY_KINDS_ES = {
    "bill": "Factura",
    "payment": "Pago",
    "fee": "Cargo",
    "late_fee": "Recargo por pago tardío",
    "adjustment": "Ajuste",
    "deposit": "Depósito",
    "deposit_refund": "Reembolso de depósito",
    "transfer": "Transferencia",
    "refund": "Reembolso",
    "write_off": "Cancelación de deuda",
    "recovery": "Recuperación",
    "arrangement": "Convenio de pago",
    "prepetition": "Reclamo anterior a la bancarrota",
    "reversal": "Anulación",
    "over_short": "Diferencia de caja",
}


def entry_kind_label(kind: str, english_label: str, language: str) -> str:
    if language == SPANISH:
        return ENTRY_KINDS_ES.get(kind, english_label)
    return english_label


_MONTHS_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
UTILITY_NAMES_ES = {
    "electric": "electricidad",
    "gas": "gas natural",
    "water": "agua",
    "wastewater": "aguas residuales",
    "solid_waste": "recolección de residuos sólidos",
    "irrigation": "riego",
}

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
    """$1,234.50, or −$12.00 (docs/ui.md)."""
    return money_text(to_money(amount))


def letter_balance(amount: Decimal, language: str = ENGLISH) -> str:
    """A balance as a customer reads it: what is owed, or a credit."""
    amount = to_money(amount)
    if amount < 0:
        credit = "a su favor" if language == SPANISH else "credit"
        return f"{letter_money(-amount)} {credit}"
    return letter_money(amount)


def letter_date(day: date, language: str = ENGLISH) -> str:
    """March 5, 2026; in Spanish, 5 de marzo de 2026."""
    if language == SPANISH:
        return f"{day.day} de {_MONTHS_ES[day.month - 1]} de {day.year}"
    return f"{day:%B} {day.day}, {day.year}"


def merge_value(value, language: str) -> str:
    """A value a flow gives for a merge field, as text in the letter's
    language: a date or an amount is formatted here, so the flow need not
    know the language; a mapping gives the wording per language."""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return letter_money(value)
    if isinstance(value, date):
        return letter_date(value, language)
    if isinstance(value, Mapping):
        return value.get(language) or value[ENGLISH]
    raise TypeError(f"{type(value).__name__} is not a merge value")


# The deposit rule's reasons (accounts.services.start), for Spanish letters.
_DEPOSIT_REASONS_ES = {
    "a written-off balance in the last 12 months": (
        "un saldo cancelado como incobrable en los últimos 12 meses"
    ),
    "a returned payment in the last 12 months": "un pago devuelto en los últimos 12 meses",
    "a disconnection for non-payment in the last 12 months": (
        "una desconexión por falta de pago en los últimos 12 meses"
    ),
    "no 12-month payment history with the City": (
        "no tiene 12 meses de historial de pagos con la Ciudad"
    ),
    "commercial solid-waste accounts pay one month's estimated bill": (
        "las cuentas comerciales de residuos sólidos pagan la factura estimada de un mes"
    ),
}
_COMMERCIAL_MULTIPLE = re.compile(
    r"commercial accounts pay ([\d.]+) × the estimated highest monthly bill"
)


def deposit_reason_wording(reason: str) -> dict[str, str]:
    """A deposit's reason in each language; a reason without a Spanish
    wording (typed by hand) stays as written."""
    spanish = []
    for part in reason.split("; "):
        multiple = _COMMERCIAL_MULTIPLE.fullmatch(part)
        if multiple:
            spanish.append(
                f"las cuentas comerciales pagan {multiple.group(1)} × la factura mensual "
                "más alta estimada"
            )
        else:
            spanish.append(_DEPOSIT_REASONS_ES.get(part, part))
    return {ENGLISH: reason, SPANISH: "; ".join(spanish)}


def sample_values(kind: str, today: date, language: str = ENGLISH) -> dict[str, str]:
    samples = SAMPLE_VALUES_ES if language == SPANISH else SAMPLE_VALUES
    values = {name: samples.get(name, "") for name in allowed_fields(kind)}
    values["today"] = letter_date(today, language)
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


_CALL_US_ES = (
    "Si tiene preguntas, llámenos al 480-644-2221 o visite nuestra oficina "
    "en 55 N Center St, Mesa AZ 85201."
)

# kind: (subject, body), the Spanish wording of DEFAULT_TEMPLATES.
DEFAULT_TEMPLATES_ES = {
    WELCOME: (
        "Bienvenido a los Servicios Públicos de la Ciudad de Mesa",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Bienvenido a los Servicios Públicos de la Ciudad de Mesa. Su servicio en "
            "{{ service_address }} comienza el {{ start_date }} con el número de cuenta "
            "{{ account_number }}.",
            "Servicios: {{ services }}\n"
            "Cargos de conexión: {{ fees_total }}\n"
            "Depósito: {{ deposit_amount }}",
            "Los cargos de conexión y cualquier depósito aparecen en su primera factura, "
            "que se envía a {{ mailing_address }}. Tenga a mano su número de cuenta "
            "cuando llame o pague.",
            _CALL_US_ES,
            "Gracias por elegir los Servicios Públicos de la Ciudad de Mesa.",
        ),
    ),
    DEPOSIT_REQUIRED: (
        "Se requiere un depósito en la cuenta {{ account_number }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Se requiere un depósito de {{ deposit_amount }} en la cuenta de servicios "
            "{{ account_number }} para el servicio en {{ service_address }}.",
            "Motivo: {{ deposit_reason }}",
            "Pague el depósito a más tardar el {{ due_date }}. Puede pagar en nuestra "
            "oficina, por correo o por teléfono. Si no puede pagar el total de una vez, "
            "llámenos para preguntar sobre el pago en plazos.",
            "Su depósito se acredita a su cuenta después de un historial de pagos "
            "puntuales, o se aplica a su factura final cuando termina su servicio.",
            _CALL_US_ES,
        ),
    ),
    DEPOSIT_REFUND: (
        "Le devolvemos el depósito de la cuenta {{ account_number }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Nos complace informarle que le devolvemos el depósito de la cuenta de "
            "servicios {{ account_number }}.",
            "Monto del reembolso: {{ refund_amount }}\n"
            "Forma de reembolso: {{ refund_method }}\n"
            "Saldo de la cuenta hoy: {{ balance }}",
            "Gracias por pagar a tiempo.",
            _CALL_US_ES,
        ),
    ),
    FINAL_BILL: (
        "Factura final de la cuenta {{ account_number }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Su servicio en {{ service_address }} terminó el {{ stop_date }}. "
            "Esta es la factura final de la cuenta {{ account_number }}.",
            "Monto de la factura final: {{ final_bill_amount }}\n"
            "Depósito aplicado: {{ deposit_applied }}\n"
            "Saldo de la cuenta hoy: {{ balance }}\n"
            "Pague a más tardar el: {{ due_date }}",
            "Si su cuenta muestra un saldo a su favor, el reembolso se envía a "
            "{{ mailing_address }}. Avísenos si esa dirección no es correcta.",
            "Gracias por ser cliente de los Servicios Públicos de la Ciudad de Mesa. "
            + _CALL_US_ES,
        ),
    ),
    GENERAL: (
        "Sobre su cuenta de servicios {{ account_number }}",
        _paragraphs("Estimado(a) {{ customer_name }}:", "{{ message }}", _CALL_US_ES),
    ),
}


def install_default_templates(template_model) -> int:
    """Create each kind's template that is missing, and give any template
    without Spanish wording the shipped Spanish; edited wording is kept.
    Takes the model so a data migration can pass the historical one (before
    migration 0015 it has no Spanish fields)."""
    spanish = any(field.name == "body_es" for field in template_model._meta.get_fields())
    created = 0
    for kind, (name, subject, body) in DEFAULT_TEMPLATES.items():
        defaults = {"name": name, "subject": subject, "body": body}
        subject_es, body_es = DEFAULT_TEMPLATES_ES[kind]
        if spanish:
            defaults.update(subject_es=subject_es, body_es=body_es)
        template, was_created = template_model.objects.get_or_create(kind=kind, defaults=defaults)
        if spanish and not was_created and not template.body_es:
            template.subject_es, template.body_es = subject_es, body_es
            template.save(update_fields=["subject_es", "body_es"])
        created += was_created
    return created

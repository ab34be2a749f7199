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
# The Police Department's Alarm Permit Unit (app ``alarms``). Every kind whose
# name starts with ``alarm_`` prints on the Police Department's letterhead.
ALARM_PERMIT_ISSUED = "alarm_permit_issued"
ALARM_RENEWAL = "alarm_renewal"
ALARM_FALSE_ALARM = "alarm_false_alarm"
ALARM_SUSPENDED = "alarm_suspended"
ALARM_REINSTATED = "alarm_reinstated"
ALARM_APPEAL_RECEIVED = "alarm_appeal_received"
ALARM_HEARING_SCHEDULED = "alarm_hearing_scheduled"
ALARM_APPEAL_DECISION = "alarm_appeal_decision"
ALARM_KIND_PREFIX = "alarm_"

KIND_LABELS = {
    WELCOME: "Welcome",
    DEPOSIT_REQUIRED: "Deposit required",
    DEPOSIT_REFUND: "Deposit refund",
    FINAL_BILL: "Final bill",
    GENERAL: "General letter",
    ALARM_PERMIT_ISSUED: "Alarm permit issued",
    ALARM_RENEWAL: "Alarm permit renewal",
    ALARM_FALSE_ALARM: "False alarm",
    ALARM_SUSPENDED: "Alarm permit suspended",
    ALARM_REINSTATED: "Alarm permit reinstated",
    ALARM_APPEAL_RECEIVED: "Alarm appeal received",
    ALARM_HEARING_SCHEDULED: "Alarm appeal hearing",
    ALARM_APPEAL_DECISION: "Alarm appeal decision",
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
    ALARM_PERMIT_ISSUED: (
        "permit_number",
        "alarm_functions",
        "premise_address",
        "expires_on",
        "fee_total",
        "due_date",
    ),
    ALARM_RENEWAL: ("permit_number", "premise_address", "expires_on", "fee_total", "due_date"),
    ALARM_FALSE_ALARM: (
        "permit_number",
        "premise_address",
        "incident_number",
        "incident_date",
        "alarm_type",
        "count_in_window",
        "fee",
        "no_permit_fee",
        "next_fee",
        "invoice_number",
        "due_date",
        "appeal_by",
    ),
    ALARM_SUSPENDED: ("permit_number", "premise_address", "reason", "suspended_on"),
    ALARM_REINSTATED: ("permit_number", "premise_address", "reinstated_on"),
    ALARM_APPEAL_RECEIVED: ("permit_number", "invoice_number", "filed_on", "hearing_by"),
    ALARM_HEARING_SCHEDULED: (
        "permit_number",
        "invoice_number",
        "hearing_on",
        "hearing_time",
        "hearing_place",
    ),
    ALARM_APPEAL_DECISION: ("permit_number", "invoice_number", "outcome", "reason", "amount_due"),
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
    "permit_number": 'The alarm permit\'s number ("none on file" when there is none)',
    "alarm_functions": "The alarm functions the permit covers, e.g. Burglary, Panic",
    "premise_address": "The alarm site's address, on one line",
    "expires_on": "The date the permit expires",
    "fee_total": "The permit fee (all its alarm functions)",
    "incident_number": "The police incident number of the false alarm",
    "incident_date": "The date of the false alarm",
    "alarm_type": "The kind of alarm, e.g. Burglary, Panic or Robbery",
    "count_in_window": "Which false alarm this is in the 365-day window, e.g. 2nd",
    "fee": "The false alarm fee",
    "no_permit_fee": "The fee for an alarm without an active permit ($0.00 when it had one)",
    "next_fee": "What the next false alarm of this class would cost",
    "invoice_number": "The false alarm invoice's number",
    "appeal_by": "The last day to file an appeal",
    "reason": "The reason given (for the suspension, or for the appeal decision)",
    "suspended_on": "The date the permit was suspended",
    "reinstated_on": "The date the permit was reinstated",
    "filed_on": "The date the appeal was filed",
    "hearing_by": "The date by which the appeal hearing is held",
    "hearing_on": "The date of the appeal hearing",
    "hearing_time": "The time of the appeal hearing, e.g. 9:30 AM",
    "hearing_place": "Where the appeal hearing is held",
    "outcome": "The appeal decision: Upheld, Reduced or Waived",
    "amount_due": "What is owed on the invoice after the decision",
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
    "permit_number": "AP-2026-00412",
    "alarm_functions": "Burglary, Panic",
    "premise_address": "2150 E Brown Rd, Mesa, AZ 85213",
    "expires_on": "March 2, 2027",
    "fee_total": "$20.00",
    "incident_number": "MPD-26-081234",
    "incident_date": "February 14, 2026",
    "alarm_type": "Burglary",
    "count_in_window": "2nd",
    "fee": "$100.00",
    "no_permit_fee": "$0.00",
    "next_fee": "$150.00",
    "invoice_number": "AI-000318",
    "appeal_by": "March 2, 2026",
    "reason": "Ten burglary false alarms in 365 days",
    "suspended_on": "March 9, 2026",
    "reinstated_on": "April 6, 2026",
    "filed_on": "February 24, 2026",
    "hearing_by": "March 26, 2026",
    "hearing_on": "March 18, 2026",
    "hearing_time": "9:30 AM",
    "hearing_place": "Mesa Police Department, 130 N Robson, Mesa AZ 85201",
    "outcome": "Reduced",
    "amount_due": "$50.00",
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
    "alarm_functions": "Robo, Pánico",
    "expires_on": "2 de marzo de 2027",
    "incident_date": "14 de febrero de 2026",
    "alarm_type": "Robo",
    "count_in_window": "2.ª",
    "appeal_by": "2 de marzo de 2026",
    "reason": "Diez falsas alarmas de robo en 365 días",
    "suspended_on": "9 de marzo de 2026",
    "reinstated_on": "6 de abril de 2026",
    "filed_on": "24 de febrero de 2026",
    "hearing_by": "26 de marzo de 2026",
    "hearing_on": "18 de marzo de 2026",
    "hearing_place": "Departamento de Policía de Mesa, 130 N Robson, Mesa AZ 85201",
    "outcome": "Reducido",
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
# The alarm letters come from the Police Department, not from Utilities.
POLICE_LETTERHEAD = (
    "Mesa Police Department — Alarm Permit Unit",
    "130 N Robson, Mesa AZ 85201",
    "480-644-2699",
)
POLICE_LETTERHEADS = {
    ENGLISH: POLICE_LETTERHEAD,
    SPANISH: ("Departamento de Policía de Mesa — Unidad de Permisos de Alarma",)
    + POLICE_LETTERHEAD[1:],
}
POLICE_SIGNATURES = {
    ENGLISH: ("Alarm Permit Unit", "Mesa Police Department"),
    SPANISH: ("Unidad de Permisos de Alarma", "Departamento de Policía de Mesa"),
}


def is_alarm_kind(kind: str) -> bool:
    return kind.startswith(ALARM_KIND_PREFIX)


def letterhead_for(kind: str, language: str = ENGLISH) -> tuple[str, str, str]:
    """(name, address, phone) printed at the top of a letter of ``kind``: the
    Police Department's for the alarm letters, City of Mesa Utilities' for
    the rest."""
    letterheads = POLICE_LETTERHEADS if is_alarm_kind(kind) else LETTERHEADS
    return letterheads.get(language, letterheads[ENGLISH])


def signature_for(kind: str, language: str = ENGLISH) -> tuple[str, str]:
    """The lines under the closing of a letter of ``kind``."""
    signatures = POLICE_SIGNATURES if is_alarm_kind(kind) else SIGNATURES
    return signatures.get(language, signatures[ENGLISH])


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


# Wording the alarm flows pass for their letters' fields, per language, so
# an alarm letter in Spanish does not say "Burglary" or "Upheld".
ALARM_TYPES = {
    "burglary": {ENGLISH: "Burglary", SPANISH: "Robo"},
    "panic": {ENGLISH: "Panic", SPANISH: "Pánico"},
    "robbery": {ENGLISH: "Robbery", SPANISH: "Asalto"},
}
APPEAL_OUTCOMES = {
    "upheld": {ENGLISH: "Upheld", SPANISH: "Confirmado"},
    "reduced": {ENGLISH: "Reduced", SPANISH: "Reducido"},
    "waived": {ENGLISH: "Waived", SPANISH: "Condonado"},
}
NO_PERMIT_ON_FILE = {ENGLISH: "none on file", SPANISH: "ninguno registrado"}


def alarm_type_wording(alarm_type: str) -> dict[str, str]:
    """An alarm type (burglary, panic, robbery) in each language."""
    return ALARM_TYPES[alarm_type]


def alarm_functions_wording(functions) -> dict[str, str]:
    """A permit's alarm functions, e.g. ["burglary", "panic"], as
    "Burglary, Panic" / "Robo, Pánico"."""
    return {
        language: ", ".join(ALARM_TYPES[function][language] for function in functions)
        for language in LANGUAGES
    }


def appeal_outcome_wording(outcome: str) -> dict[str, str]:
    """An appeal's outcome (upheld, reduced, waived) in each language."""
    return APPEAL_OUTCOMES[outcome]


def count_wording(count: int) -> dict[str, str]:
    """Which false alarm this is: 2 → "2nd" / "2.ª" (la 2.ª falsa alarma)."""
    teens = 10 <= count % 100 <= 20
    suffix = "th" if teens else {1: "st", 2: "nd", 3: "rd"}.get(count % 10, "th")
    return {ENGLISH: f"{count}{suffix}", SPANISH: f"{count}.ª"}


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

_CALL_ALARMS = (
    "If you have questions, please call the Alarm Permit Unit at 480-644-2699 or "
    "write to us at 130 N Robson, Mesa AZ 85201."
)

# The alarm letters (the Police Department's Alarm Permit Unit).
ALARM_TEMPLATES = {
    ALARM_PERMIT_ISSUED: (
        "Alarm permit issued",
        "Your alarm permit {{ permit_number }}",
        _paragraphs(
            "Dear {{ customer_name }},",
            "Thank you for registering your alarm system with the Mesa Police Department. "
            "Your alarm permit for {{ premise_address }} has been issued.",
            "Permit number: {{ permit_number }}\n"
            "Alarm functions: {{ alarm_functions }}\n"
            "Permit expires: {{ expires_on }}\n"
            "Permit fee: {{ fee_total }}\n"
            "Please pay by: {{ due_date }}",
            "Please keep your permit number with your alarm company's information. The "
            "permit is renewed every year, and we will send you a notice before it expires.",
            "A false alarm takes an officer away from a real emergency. Please make sure "
            "everyone who uses the alarm knows how to operate and cancel it, and let us "
            "know when your alarm company or your contact information changes.",
            _CALL_ALARMS,
        ),
    ),
    ALARM_RENEWAL: (
        "Alarm permit renewal",
        "Your alarm permit {{ permit_number }} is due for renewal",
        _paragraphs(
            "Dear {{ customer_name }},",
            "Your alarm permit {{ permit_number }} for {{ premise_address }} expires on "
            "{{ expires_on }}.",
            "To renew it for another year, please pay the renewal fee of {{ fee_total }} by "
            "{{ due_date }}. You may pay in person, by mail or by phone; please give your "
            "permit number.",
            "An alarm without an active permit is charged an extra fee for every false "
            "alarm. If you no longer have an alarm at this address, please let us know so "
            "that we can close the permit.",
            _CALL_ALARMS,
        ),
    ),
    ALARM_FALSE_ALARM: (
        "False alarm",
        "False alarm on {{ incident_date }}",
        _paragraphs(
            "Dear {{ customer_name }},",
            "The Mesa Police Department responded to an alarm at {{ premise_address }} on "
            "{{ incident_date }} (incident {{ incident_number }}) and found it to be a "
            "false alarm.",
            "Alarm permit: {{ permit_number }}\n"
            "Alarm type: {{ alarm_type }}\n"
            "False alarm in the last 365 days: {{ count_in_window }}\n"
            "False alarm fee: {{ fee }}\n"
            "Fee for an alarm without an active permit: {{ no_permit_fee }}\n"
            "Invoice number: {{ invoice_number }}\n"
            "Please pay by: {{ due_date }}",
            "Another false alarm of this type within 365 days would cost {{ next_fee }}. "
            "Open doors or windows, pets and weak batteries cause most false alarms; your "
            "alarm company can help you find the cause.",
            "If you believe this was not a false alarm, you may appeal in writing, with the "
            "invoice number, by {{ appeal_by }}. You do not need to pay the fee while your "
            "appeal is open.",
            _CALL_ALARMS,
        ),
    ),
    ALARM_SUSPENDED: (
        "Alarm permit suspended",
        "Your alarm permit {{ permit_number }} is suspended",
        _paragraphs(
            "Dear {{ customer_name }},",
            "We are sorry to let you know that alarm permit {{ permit_number }} for "
            "{{ premise_address }} was suspended on {{ suspended_on }}.",
            "Reason: {{ reason }}",
            "While the permit is suspended, the alarm at this address has no active "
            "permit, and each false alarm is charged the fee for an alarm without a permit.",
            "Please call us to learn what is needed to reinstate your permit. We will be "
            "glad to help.",
            _CALL_ALARMS,
        ),
    ),
    ALARM_REINSTATED: (
        "Alarm permit reinstated",
        "Your alarm permit {{ permit_number }} is reinstated",
        _paragraphs(
            "Dear {{ customer_name }},",
            "We are pleased to let you know that alarm permit {{ permit_number }} for "
            "{{ premise_address }} was reinstated on {{ reinstated_on }}. The permit is "
            "active again.",
            "Thank you for taking care of this. Please keep your alarm system in good "
            "repair, and make sure everyone who uses it knows how to operate and cancel it.",
            _CALL_ALARMS,
        ),
    ),
    ALARM_APPEAL_RECEIVED: (
        "Alarm appeal received",
        "We received your appeal of invoice {{ invoice_number }}",
        _paragraphs(
            "Dear {{ customer_name }},",
            "Thank you for your letter. We received your appeal of false alarm invoice "
            "{{ invoice_number }} (alarm permit {{ permit_number }}) on {{ filed_on }}.",
            "A hearing will be held by {{ hearing_by }}, and we will write to you with its "
            "date, time and place. You do not need to pay the fee under appeal while your "
            "appeal is open.",
            _CALL_ALARMS,
        ),
    ),
    ALARM_HEARING_SCHEDULED: (
        "Alarm appeal hearing",
        "Your appeal hearing for invoice {{ invoice_number }}",
        _paragraphs(
            "Dear {{ customer_name }},",
            "The hearing of your appeal of false alarm invoice {{ invoice_number }} "
            "(alarm permit {{ permit_number }}) is scheduled for:",
            "Date: {{ hearing_on }}\nTime: {{ hearing_time }}\nPlace: {{ hearing_place }}",
            "Please bring any records that support your appeal, such as your alarm "
            "company's report. If you cannot attend, please call us before the hearing to "
            "ask for another time.",
            _CALL_ALARMS,
        ),
    ),
    ALARM_APPEAL_DECISION: (
        "Alarm appeal decision",
        "Decision on your appeal of invoice {{ invoice_number }}",
        _paragraphs(
            "Dear {{ customer_name }},",
            "Your appeal of false alarm invoice {{ invoice_number }} (alarm permit "
            "{{ permit_number }}) has been decided.",
            "Decision: {{ outcome }}\nReason: {{ reason }}\nAmount due: {{ amount_due }}",
            "If an amount is due, please pay it in person, by mail or by phone, and give "
            "the invoice number. If nothing is due, you do not need to do anything.",
            "Thank you for your patience. " + _CALL_ALARMS,
        ),
    ),
}
DEFAULT_TEMPLATES.update(ALARM_TEMPLATES)

_CALL_ALARMS_ES = (
    "Si tiene preguntas, llame a la Unidad de Permisos de Alarma al 480-644-2699 o "
    "escríbanos a 130 N Robson, Mesa AZ 85201."
)

# kind: (subject, body), the Spanish wording of ALARM_TEMPLATES.
ALARM_TEMPLATES_ES = {
    ALARM_PERMIT_ISSUED: (
        "Su permiso de alarma {{ permit_number }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Gracias por registrar su sistema de alarma con el Departamento de Policía de "
            "Mesa. Se emitió su permiso de alarma para {{ premise_address }}.",
            "Número de permiso: {{ permit_number }}\n"
            "Funciones de alarma: {{ alarm_functions }}\n"
            "El permiso vence el: {{ expires_on }}\n"
            "Cargo del permiso: {{ fee_total }}\n"
            "Pague a más tardar el: {{ due_date }}",
            "Guarde su número de permiso junto con los datos de su compañía de alarmas. "
            "El permiso se renueva cada año, y le enviaremos un aviso antes de que venza.",
            "Una falsa alarma aleja a un agente de una emergencia real. Asegúrese de que "
            "todas las personas que usan la alarma sepan activarla y cancelarla, y "
            "avísenos cuando cambie su compañía de alarmas o sus datos de contacto.",
            _CALL_ALARMS_ES,
        ),
    ),
    ALARM_RENEWAL: (
        "Es hora de renovar su permiso de alarma {{ permit_number }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Su permiso de alarma {{ permit_number }} para {{ premise_address }} vence el "
            "{{ expires_on }}.",
            "Para renovarlo por otro año, pague el cargo de renovación de {{ fee_total }} a "
            "más tardar el {{ due_date }}. Puede pagar en persona, por correo o por "
            "teléfono; indique su número de permiso.",
            "A una alarma sin permiso vigente se le cobra un cargo adicional por cada "
            "falsa alarma. Si ya no tiene alarma en esta dirección, avísenos para cerrar "
            "el permiso.",
            _CALL_ALARMS_ES,
        ),
    ),
    ALARM_FALSE_ALARM: (
        "Falsa alarma del {{ incident_date }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "El Departamento de Policía de Mesa respondió a una alarma en "
            "{{ premise_address }} el {{ incident_date }} (incidente {{ incident_number }}) "
            "y determinó que fue una falsa alarma.",
            "Permiso de alarma: {{ permit_number }}\n"
            "Tipo de alarma: {{ alarm_type }}\n"
            "Falsa alarma en los últimos 365 días: {{ count_in_window }}\n"
            "Cargo por falsa alarma: {{ fee }}\n"
            "Cargo por alarma sin permiso vigente: {{ no_permit_fee }}\n"
            "Número de factura: {{ invoice_number }}\n"
            "Pague a más tardar el: {{ due_date }}",
            "Otra falsa alarma de este tipo dentro de 365 días costaría {{ next_fee }}. "
            "Las puertas o ventanas abiertas, las mascotas y las baterías débiles causan la "
            "mayoría de las falsas alarmas; su compañía de alarmas puede ayudarle a "
            "encontrar la causa.",
            "Si cree que no fue una falsa alarma, puede apelar por escrito, con el número "
            "de factura, a más tardar el {{ appeal_by }}. No necesita pagar el cargo "
            "mientras su apelación esté abierta.",
            _CALL_ALARMS_ES,
        ),
    ),
    ALARM_SUSPENDED: (
        "Su permiso de alarma {{ permit_number }} está suspendido",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Lamentamos informarle que el permiso de alarma {{ permit_number }} para "
            "{{ premise_address }} fue suspendido el {{ suspended_on }}.",
            "Motivo: {{ reason }}",
            "Mientras el permiso esté suspendido, la alarma en esta dirección no tiene "
            "permiso vigente, y a cada falsa alarma se le cobra el cargo por alarma sin "
            "permiso.",
            "Llámenos para saber qué se necesita para restablecer su permiso. Con gusto le "
            "ayudaremos.",
            _CALL_ALARMS_ES,
        ),
    ),
    ALARM_REINSTATED: (
        "Su permiso de alarma {{ permit_number }} fue restablecido",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Nos complace informarle que el permiso de alarma {{ permit_number }} para "
            "{{ premise_address }} fue restablecido el {{ reinstated_on }}. El permiso está "
            "vigente otra vez.",
            "Gracias por atender este asunto. Mantenga su sistema de alarma en buen estado "
            "y asegúrese de que todas las personas que lo usan sepan activarlo y cancelarlo.",
            _CALL_ALARMS_ES,
        ),
    ),
    ALARM_APPEAL_RECEIVED: (
        "Recibimos su apelación de la factura {{ invoice_number }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Gracias por su carta. Recibimos su apelación de la factura por falsa alarma "
            "{{ invoice_number }} (permiso de alarma {{ permit_number }}) el {{ filed_on }}.",
            "Se celebrará una audiencia a más tardar el {{ hearing_by }}, y le escribiremos "
            "con la fecha, la hora y el lugar. No necesita pagar el cargo apelado mientras "
            "su apelación esté abierta.",
            _CALL_ALARMS_ES,
        ),
    ),
    ALARM_HEARING_SCHEDULED: (
        "Su audiencia de apelación de la factura {{ invoice_number }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "La audiencia de su apelación de la factura por falsa alarma "
            "{{ invoice_number }} (permiso de alarma {{ permit_number }}) está programada "
            "para:",
            "Fecha: {{ hearing_on }}\nHora: {{ hearing_time }}\nLugar: {{ hearing_place }}",
            "Traiga cualquier documento que respalde su apelación, como el informe de su "
            "compañía de alarmas. Si no puede asistir, llámenos antes de la audiencia para "
            "pedir otra fecha.",
            _CALL_ALARMS_ES,
        ),
    ),
    ALARM_APPEAL_DECISION: (
        "Decisión sobre su apelación de la factura {{ invoice_number }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Se tomó una decisión sobre su apelación de la factura por falsa alarma "
            "{{ invoice_number }} (permiso de alarma {{ permit_number }}).",
            "Decisión sobre el cargo: {{ outcome }}\nMotivo: {{ reason }}\n"
            "Importe a pagar: {{ amount_due }}",
            "Si hay un importe a pagar, puede pagarlo en persona, por correo o por "
            "teléfono; indique el número de factura. Si no hay nada que pagar, no necesita "
            "hacer nada.",
            "Gracias por su paciencia. " + _CALL_ALARMS_ES,
        ),
    ),
}
DEFAULT_TEMPLATES_ES.update(ALARM_TEMPLATES_ES)


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

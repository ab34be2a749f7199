"""The collection ladders the product ships with (administrators change them
in Django admin). Delays are days after the previous step; the first step's
delay counts from the day the account fell past due."""

from decimal import Decimal

NOTICE_TEXT = (
    "Your utility account is past due by {amount}. To avoid disconnection, pay the past-due "
    "amount by {date}. A $3.00 notice charge has been added. Call 480-644-2221 to ask about a "
    "payment arrangement or bill assistance."
)
REMINDER_TEXT = (
    "Our records show {amount} past due on your utility account. Please pay by {date} or call "
    "480-644-2221."
)
FINAL_TEXT = (
    "Your final bill has {amount} unpaid. Please pay by {date}; unpaid final bills are referred "
    "to a collection agency."
)

# The same notices in Spanish, for customers who prefer Spanish.
NOTICE_TEXT_ES = (
    "Su cuenta de servicios tiene un saldo vencido de {amount}. Para evitar la desconexión, "
    "pague el saldo vencido a más tardar el {date}. Se agregó un cargo de $3.00 por este aviso. "
    "Llame al 480-644-2221 para preguntar sobre un plan de pagos o ayuda con su factura."
)
REMINDER_TEXT_ES = (
    "Nuestros registros muestran un saldo vencido de {amount} en su cuenta de servicios. "
    "Pague a más tardar el {date} o llame al 480-644-2221."
)
FINAL_TEXT_ES = (
    "Su factura final tiene {amount} sin pagar. Pague a más tardar el {date}; las facturas "
    "finales sin pagar se envían a una agencia de cobranza."
)
SPANISH_TEXTS = {
    "reminder": REMINDER_TEXT_ES,
    "notice": NOTICE_TEXT_ES,
    "final_collection": FINAL_TEXT_ES,
}

# (position, action, delay days, channel, fee, notice text)
STEPS = [
    (1, "reminder", 5, "letter", Decimal("0.00"), REMINDER_TEXT),
    (2, "notice", 10, "door_hanger", Decimal("3.00"), NOTICE_TEXT),
    (3, "eligible", 10, "queue", Decimal("0.00"), ""),
    (4, "disconnect", 1, "field", Decimal("0.00"), ""),
    (5, "final_collection", 15, "letter", Decimal("0.00"), FINAL_TEXT),
    (6, "agency", 45, "file", Decimal("0.00"), ""),
    (7, "write_off", 90, "queue", Decimal("0.00"), ""),
]
LADDERS = {"residential": "Residential collections", "commercial": "Commercial collections"}


def install_default_ladders(ladder_model, step_model) -> None:
    """Adds a ladder per class that has none, and gives a letter step without
    Spanish wording the shipped Spanish; takes the models so a data migration
    can pass its own (before credit 0003 the step has no Spanish field)."""
    spanish = any(field.name == "notice_text_es" for field in step_model._meta.get_fields())
    for customer_class, name in LADDERS.items():
        ladder, created = ladder_model.objects.get_or_create(
            customer_class=customer_class, defaults={"name": name}
        )
        if not created:
            continue
        for position, action, delay, channel, fee, text in STEPS:
            step_model.objects.create(
                ladder=ladder,
                position=position,
                action=action,
                delay_days=delay,
                channel=channel,
                fee=fee,
                notice_text=text,
            )
    if spanish:
        for action, text in SPANISH_TEXTS.items():
            step_model.objects.filter(action=action, notice_text_es="").exclude(
                notice_text=""
            ).update(notice_text_es=text)

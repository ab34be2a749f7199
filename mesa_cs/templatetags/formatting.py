"""Template filters for the one way of writing money, days and moments
(``mesa_cs.lib.formatting``); registered as builtins, so no ``{% load %}``."""

from django import template

from mesa_cs.lib import formatting

register = template.Library()


@register.filter
def money(value):
    """``{{ amount|money }}`` → ``$1,234.56`` / ``−$25.00``."""
    return formatting.money_text(value)


@register.filter
def unsigned_money(value):
    return formatting.money_text(value, sign=False)


@register.filter
def day(value):
    """``{{ bill.due_on|day }}`` → ``12/01/2026`` (a datetime: its Phoenix day)."""
    return formatting.day_text(value)


@register.filter
def month(value):
    """``{{ last_year.month|month }}`` → ``December 2025``."""
    return formatting.month_text(value)


@register.filter
def moment(value):
    """``{{ payment.received_at|moment }}`` → ``12/01/2026 1:02 PM`` Phoenix time."""
    return formatting.moment_text(value)


# ``{{ payment.received_by|staff_name }}`` → "Dana Cruz" (the login if no name);
# ``{{ item.kind|code_label }}`` → "Read exception"; ``{{ read.register|reading }}``
# → ``12345`` (no spurious decimals).
register.filter("staff_name", formatting.staff_name)
register.filter("code_label", formatting.code_label)
register.filter("reading", formatting.read_text)
# ``{{ row.lifts|quantity }}`` → ``2,450``; ``{{ row.tons|quantity }}`` → ``1,234.50``.
register.filter("quantity", formatting.quantity_text)
# ``{{ person.phone|phone }}`` → ``480-555-0143``.
register.filter("phone", formatting.phone_text)

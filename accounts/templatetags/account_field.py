"""The field work section of the account's Services tab."""

from django import template

from accounts.selectors.accounts import account_field_work
from accounts.views.service import field_order
from mesa_cs.lib.roles import user_roles

register = template.Library()


@register.inclusion_tag("accounts/service/_account_field_work.html", takes_context=True)
def account_field_work_section(context, account):
    # The button shows for exactly the roles the order page admits.
    can_order = bool(user_roles(context["request"].user) & field_order.access.roles)
    return {
        "account": account,
        "activities": account_field_work(account),
        "can_order": can_order,
    }

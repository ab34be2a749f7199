"""The account page's view of arrangements, assistance and calls, for the
Collections tab: ``{% load credit_arrangements %}{% account_arrangements account %}``."""

from django import template
from django.utils import timezone

from credit.selectors.arrangements import account_credit_panel
from mesa_cs.lib.roles import Area, user_can

register = template.Library()


@register.inclusion_tag("credit/_account_arrangements.html", takes_context=True)
def account_arrangements(context, account):
    request = context.get("request")
    return {
        "account": account,
        "panel": account_credit_panel(account, timezone.localdate()),
        "can_act": request is not None and user_can(request.user, Area.CREDIT),
    }

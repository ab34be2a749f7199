"""``{% account_cases account %}``: the account's bankruptcy (pre- and
post-petition balances), write-offs and agency referrals, for its
Collections tab."""

from django import template

from credit.selectors.cases import account_cases as cases_of
from mesa_cs.lib.roles import Area, user_can

register = template.Library()


@register.inclusion_tag("credit/_account_cases.html", takes_context=True)
def account_cases(context, account):
    request = context.get("request")
    return {
        "account": account,
        "cases": cases_of(account),
        "can_act": bool(request and user_can(request.user, Area.CREDIT)),
        "csrf_token": context.get("csrf_token"),
    }

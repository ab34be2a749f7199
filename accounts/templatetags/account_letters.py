"""Letters on pages that accounts/views/accounts.py renders: the contacts tab's list
and the template editor's link on the accounts index."""

from django import template

from accounts.selectors.letters import account_letters as letters_of
from accounts.views.letters import letter_new, print_file, template_list
from mesa_cs.lib.roles import user_roles

register = template.Library()


def _may(request, view) -> bool:
    return bool(user_roles(request.user) & view.access.roles)


@register.inclusion_tag("accounts/letters/_account_letters.html", takes_context=True)
def account_letters(context, account):
    return {
        "account": account,
        "letters": letters_of(account),
        "can_send": _may(context["request"], letter_new),
    }


@register.inclusion_tag("accounts/letters/_templates_link.html", takes_context=True)
def letter_templates_link(context):
    request = context["request"]
    return {"show": _may(request, template_list), "print": _may(request, print_file)}

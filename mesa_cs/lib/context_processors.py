from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from mesa_cs.lib.roles import Area, user_can, user_roles


@dataclass(frozen=True)
class SectionLink:
    title: str
    url_name: str
    icon: str
    area: Area
    blurb: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


SECTION_LINKS = (
    SectionLink(
        "Accounts",
        "accounts:index",
        "people",
        Area.ACCOUNTS,
        "Find a customer, see the account, log a contact.",
    ),
    SectionLink(
        "Billing",
        "billing:index",
        "receipt",
        Area.BILLING,
        "Rates, meter reads, bill runs, bills and adjustments.",
    ),
    SectionLink(
        "Cashiering",
        "cashiering:index",
        "cash-coin",
        Area.CASHIERING,
        "Counter payments, drawers, deposits and payment files.",
    ),
    SectionLink(
        "Credit",
        "credit:index",
        "shield-exclamation",
        Area.CREDIT,
        "Collections, disconnects, arrangements and assistance.",
    ),
    SectionLink(
        "Alarms", "alarms:index", "bell", Area.ALARMS, "Alarm permits, false alarms and invoices."
    ),
    SectionLink(
        "Solid waste",
        "solidwaste:index",
        "trash",
        Area.SOLIDWASTE,
        "Container services, orders, routes and rates.",
    ),
    SectionLink(
        "Work queues",
        "staffing:index",
        "inboxes",
        Area.WORK_QUEUES,
        "Exceptions and requests waiting for someone.",
    ),
    SectionLink(
        "Supervision",
        "staffing:supervision",
        "people-fill",
        Area.STAFFING,
        "Schedules, training, evaluations, hiring and reports.",
    ),
)


def sections_for(user) -> list[SectionLink]:
    return [link for link in SECTION_LINKS if user_can(user, link.area)]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_sections": [],
            "nav_can_search": False,
            "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
        }
    return {
        "nav_sections": [(link, request.path.startswith(link.url)) for link in sections_for(user)],
        "nav_can_search": user_can(user, Area.ACCOUNTS),
        "nav_roles": sorted(user_roles(user)),
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
    }

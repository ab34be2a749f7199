from mesa_cs.lib.roles import Area, allow, user_can, user_roles
from solidwaste.views.access import PRODUCTION_ROLES
from staffing.models import Section
from staffing.shortcuts import section_index


@allow(Area.SOLIDWASTE)
def index(request):
    return section_index(
        request,
        template="solidwaste/index.html",
        section=Section.SOLID_WASTE,
        production=bool(user_roles(request.user) & PRODUCTION_ROLES),
        can_edit_rates=user_can(request.user, Area.RATES),
    )

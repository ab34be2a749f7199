from mesa_cs.lib.roles import Area, allow
from staffing.models import Section
from staffing.shortcuts import section_index


@allow(Area.SOLIDWASTE)
def index(request):
    return section_index(request, template="solidwaste/index.html", section=Section.SOLID_WASTE)

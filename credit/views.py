from mesa_cs.lib.roles import Area, allow
from staffing.models import Section
from staffing.shortcuts import section_index


@allow(Area.CREDIT)
def index(request):
    return section_index(request, template="credit/index.html", section=Section.CREDIT)

from mesa_cs.lib.roles import Area, allow
from staffing.models import Section
from staffing.shortcuts import section_index


@allow(Area.CASHIERING)
def index(request):
    return section_index(request, template="cashiering/index.html", section=Section.BUSINESS_OFFICE)

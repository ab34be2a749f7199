from mesa_cs.lib.roles import Area, allow
from staffing.models import Section
from staffing.shortcuts import section_index


@allow(Area.ALARMS)
def index(request):
    return section_index(request, template="alarms/index.html", section=Section.ACCOUNT_MAINTENANCE)

from django.shortcuts import render

from staffing.models import Section
from staffing.selectors import section_open_count


def section_index(request, *, template: str, section: Section, **context):
    """The landing page of a section app: its queue and its tools."""
    context.update(section=section, open_items=section_open_count(section))
    return render(request, template, context)

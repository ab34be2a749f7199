"""The section dashboards (docs/dashboards.md)."""

from django.http import Http404
from django.shortcuts import render

from mesa_cs.lib.roles import Area, allow
from staffing.models import Section
from staffing.selectors import (
    AGE_BUCKETS,
    aging_by_person,
)


@allow(Area.STAFFING)
def dashboard(request, section):
    from mesa_cs.lib.charts import column_chart
    from mesa_cs.lib.dashboards import measures_for, week_starts
    from mesa_cs.lib.dates import today

    try:
        section = Section(section)
    except ValueError as exc:
        raise Http404("No such section.") from exc
    on = today()
    weeks = week_starts(on)
    labels = [f"{w:%m/%d}" for w in weeks]
    rows = []
    for n, measure in enumerate(measures_for(section)):
        trend = measure.weekly(weeks)
        rows.append(
            {
                "measure": measure,
                "today": measure.today(on),
                "week": trend[-1],
                "trend": trend,
                # Nothing in 13 weeks: said in words, not drawn as an empty chart.
                "chart": column_chart(
                    f"{measure.label}, by week",
                    labels,
                    [(measure.label, trend)],
                    money=measure.money,
                )
                if any(trend)
                else None,
                "chart_id": f"chart-{n}",
            }
        )
    context = {
        "section": section,
        "sections": list(Section),
        "rows": rows,
        "people": aging_by_person(on, section),
        "buckets": [label for _, _, label in AGE_BUCKETS],
        "first_week": weeks[0],
        "labels": labels,
    }
    return render(request, "staffing/dashboard.html", context)

"""Section dashboards (issue 16 item 5, docs/dashboards.md): each section's
figures today and by week over 13 weeks, registered by the apps that own
them, each linking to its list."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mesa_cs.lib.dashboards import by_week, measures_for, week_starts
from mesa_cs.lib.dates import today
from mesa_cs.lib.roles import Role
from staffing.models import Section, WorkItem
from staffing.services import work_item_close, work_item_open

pytestmark = pytest.mark.django_db


def test_weeks_are_the_13_mondays_ending_this_week():
    weeks = week_starts(date(2026, 12, 3))  # a Thursday
    assert len(weeks) == 13 and weeks[-1] == date(2026, 11, 30) and weeks[0] == date(2026, 9, 7)
    assert all(w.weekday() == 0 for w in weeks)
    rows = [(date(2026, 11, 30), 2), (date(2026, 12, 6), 3), (date(2026, 9, 6), 9)]
    assert by_week(rows, weeks)[-1] == 5 and sum(by_week(rows, weeks)) == 5


def test_every_section_has_work_measures_and_its_own():
    names = {s: {m.name for m in measures_for(s)} for s in Section}
    for section in Section:
        assert {"work_opened", "work_closed", "work_overdue"} <= names[section]
    assert {"payments", "payments_amount", "over_short"} <= names["business_office"]
    assert {"bills", "estimates", "held_reads", "alarm_permits", "false_alarms"} <= names[
        "account_maintenance"
    ]
    assert {"collection_steps", "disconnects", "reconnects"} <= names["credit"]
    assert "lifts" in names["solid_waste"]
    assert {"calls_offered", "calls_abandoned", "service_level"} <= names["contact_center"]


def test_work_opened_closed_and_overdue_count_by_day_and_week(role_users):
    on = today()
    weeks = week_starts(on)
    old = work_item_open(
        kind="enquiry", section=Section.CREDIT, title="Old", due_on=on - timedelta(days=3)
    )
    WorkItem.objects.filter(pk=old.pk).update(opened_at=timezone.now() - timedelta(weeks=2))
    fresh = work_item_open(kind="enquiry", section=Section.CREDIT, title="Fresh")
    work_item_close(item_id=fresh.pk, closed_by=role_users[Role.CREDIT], outcome="Done")
    work_item_open(kind="enquiry", section=Section.CONTACT_CENTER, title="Elsewhere")
    measures = {m.name: m for m in measures_for("credit")}
    assert measures["work_opened"].today(on) == 1
    opened = measures["work_opened"].weekly(weeks)
    assert opened[-1] == 1 and opened[-3] == 1 and sum(opened) == 2
    assert measures["work_closed"].today(on) == 1
    assert measures["work_overdue"].today(on) == 1


def test_the_dashboard_page_shows_figures_charts_and_links(client_as, role_users):
    work_item_open(kind="enquiry", section=Section.CREDIT, title="Today's")
    response = client_as(Role.SUPERVISOR).get(reverse("staffing:dashboard", args=["credit"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Credit Services dashboard" in html
    assert "Disconnects for non-payment done" in html and "<svg" in html
    assert reverse("accounts:dispatch") in html
    assert (
        client_as(Role.SUPERVISOR).get(reverse("staffing:dashboard", args=["nowhere"])).status_code
        == 404
    )
    assert (
        client_as(Role.CREDIT).get(reverse("staffing:dashboard", args=["credit"])).status_code
        == 403
    )


@pytest.mark.parametrize("section", [s.value for s in Section])
def test_every_sections_dashboard_opens(client_as, section):
    assert (
        client_as(Role.ADMINISTRATOR).get(reverse("staffing:dashboard", args=[section])).status_code
        == 200
    )


def test_the_contact_centers_service_level_is_the_weeks_ratio_of_sums(db):
    """The hand-checked file (tests/staffing/test_call_service_levels.py):
    11/02 has 12 of 19 calls answered within 20 s, 63.2 %; 11/03 none."""
    from decimal import Decimal

    from staffing.services.intervals import intervals_import
    from tests.staffing.calls_files import HAND_CHECKED, interval_csv

    intervals_import(content=interval_csv(*HAND_CHECKED), filename="hand.csv")
    measures = {m.name: m for m in measures_for("contact_center")}
    weeks = week_starts(date(2026, 11, 3))
    assert measures["calls_offered"].weekly(weeks)[-1] == 19
    assert measures["service_level"].weekly(weeks)[-1] == Decimal("63.2")
    assert measures["service_level"].today(date(2026, 11, 2)) == Decimal("63.2")
    assert measures["service_level"].today(date(2026, 11, 3)) == 0

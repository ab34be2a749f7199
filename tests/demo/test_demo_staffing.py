"""The supervisors' demo (issue 16 item 7): staff in every section, open
and closed work, complaints at each level and spot checks."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from staffing.models import Complaint, Section, SpotCheck, StaffProfile, WorkItem

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 19)


def test_the_demo_gives_a_supervisor_a_day_to_run(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", accounts=40, months=2, as_of=AS_OF, stdout=out)
    assert "Supervision:" in out.getvalue()
    for section in Section:
        staff = StaffProfile.objects.filter(section=section)
        assert staff.count() >= 2, section
        assert WorkItem.objects.filter(section=section, status="closed").exists(), section
        assert WorkItem.objects.filter(section=section).exclude(status="closed").exists(), section
    assert StaffProfile.objects.filter(skills__code="spanish").count() >= 3
    assert (
        not StaffProfile.objects.filter(supervisor__isnull=True)
        .exclude(user__username="supervisor")
        .exists()
    )
    closed = WorkItem.objects.filter(status="closed")
    assert not closed.filter(closed_at__date__gt=AS_OF).exists()
    assert {c.level for c in Complaint.objects.all()} == {1, 2, 3}
    assert Complaint.objects.filter(status="closed").exclude(root_cause="").exists()
    assert SpotCheck.objects.count() >= 1
    # A month of the phone system's data, the Contact Center's agents named.
    from staffing.models import CallInterval

    calls = CallInterval.objects.all()
    assert calls.filter(starts_at__date=AS_OF - timedelta(days=1)).exists()
    assert not calls.filter(starts_at__date__gte=AS_OF).exists()
    assert calls.filter(agent_id="4001").exists()
    # A second seed adds none of it again.
    call_command("seed_demo", accounts=40, months=2, as_of=AS_OF, stdout=StringIO())
    assert Complaint.objects.count() == 5

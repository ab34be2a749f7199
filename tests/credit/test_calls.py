"""The collector's call log: Regulation F's call hours (8am to 9pm Phoenix
time) and 7 attempts in 7 days, blocked unless the collector says why."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from credit.models import CollectorCall
from credit.services.calls import CallRuleBlocked, call_log
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
PHOENIX = ZoneInfo("America/Phoenix")


def at(hour, minute, days_ago=3):
    """A Phoenix time of day a few days back (calls are never in the future)."""
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PHOENIX)


@pytest.fixture
def account():
    return AccountFactory()


@pytest.fixture
def collector(role_users):
    return role_users[Role.CREDIT]


def call(account, by, when, **kwargs):
    return call_log(
        account=account, outcome="no_answer", notes="", called_by=by, called_at=when, **kwargs
    )


def test_a_call_at_eight_fifty_nine_pm_is_logged(account, collector):
    made = call(account, collector, at(20, 59))
    assert made.called_at == at(20, 59) and made.override_reason == ""


def test_a_call_at_nine_oh_one_pm_is_blocked_naming_the_rule(account, collector):
    with pytest.raises(CallRuleBlocked, match="Call hours: 9:01 PM is outside 8:00 AM to 9:00 PM"):
        call(account, collector, at(21, 1))
    assert not CollectorCall.objects.exists()


def test_the_hours_are_phoenix_time_at_both_ends(account, collector):
    call(account, collector, at(8, 0, days_ago=4))
    call(account, collector, at(21, 0, days_ago=4))
    with pytest.raises(CallRuleBlocked, match="7:59 AM"):
        call(account, collector, at(7, 59, days_ago=5))
    # 03:30 UTC is 8:30 pm the day before in Phoenix (no daylight saving time).
    utc = at(20, 30, days_ago=6).astimezone(ZoneInfo("UTC"))
    assert call(account, collector, utc).called_at == utc


def test_the_eighth_attempt_in_seven_days_is_blocked(account, collector):
    for days_ago in (8, 6, 5, 4, 3, 2, 1):
        call(account, collector, at(10, 0, days_ago=days_ago))
    # The call 8 days ago is outside the window: these make 6 so far, then 7.
    call(account, collector, at(11, 0, days_ago=1))
    with pytest.raises(CallRuleBlocked, match="Call attempts: this would be attempt 8 in 7 days"):
        call(account, collector, at(12, 0, days_ago=1))
    # Another account has its own count.
    call(AccountFactory(), collector, at(12, 0, days_ago=1))


def test_an_override_reason_is_recorded_with_the_call(account, collector):
    made = call(account, collector, at(21, 30), override_reason="Customer asked for a call back")
    assert made.override_reason == "Customer asked for a call back"
    for _ in range(6):
        call(account, collector, at(9, 0, days_ago=2))
    with pytest.raises(CallRuleBlocked, match="Call attempts"):
        call(account, collector, at(10, 0, days_ago=2))
    eighth = call(account, collector, at(10, 0, days_ago=2), override_reason="Promised a callback")
    assert eighth.override_reason == "Promised a callback"
    assert CollectorCall.objects.filter(account=account).count() == 8


def test_both_rules_are_named_together(account, collector):
    for _ in range(7):
        call(account, collector, at(9, 0, days_ago=1))
    with pytest.raises(CallRuleBlocked) as blocked:
        call(account, collector, at(22, 0, days_ago=1))
    assert [m.split(":")[0] for m in blocked.value.messages] == ["Call hours", "Call attempts"]


def test_calls_are_checked(account, collector):
    with pytest.raises(ValidationError, match="before it is made"):
        call(account, collector, timezone.now() + timedelta(hours=1))
    with pytest.raises(ValidationError, match="Choose how the call went"):
        call_log(account=account, outcome="hung_up", notes="", called_by=collector)
    made = call_log(
        account=account,
        outcome="promise",
        notes=" pays Friday ",
        called_by=collector,
        called_at=at(10, 0),
    )
    assert made.notes == "pays Friday"


def test_the_page_warns_and_asks_for_the_override_reason(client_as, account):
    credit = client_as(Role.CREDIT)
    url = reverse("credit:call_log", args=[account.number])
    assert "Why make this call anyway?" not in credit.get(url).content.decode()
    late = at(21, 15).strftime("%Y-%m-%dT%H:%M")
    blocked = credit.post(url, {"outcome": "voicemail", "notes": "left msg", "called_at": late})
    html = blocked.content.decode()
    assert blocked.status_code == 400
    assert "Call hours: 9:15 PM" in html and "Why make this call anyway?" in html
    assert not CollectorCall.objects.exists()
    done = credit.post(
        url,
        {
            "outcome": "voicemail",
            "notes": "left msg",
            "called_at": late,
            "override_reason": "Customer works nights, asked for 9pm calls",
        },
        follow=True,
    )
    assert "Call logged: Left voicemail (rule overridden)." in done.content.decode()
    assert CollectorCall.objects.get().override_reason.startswith("Customer works nights")

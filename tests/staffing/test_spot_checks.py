"""Spot checks (issue 16 item 6, docs/spot_checks.md): a supervisor samples
closed work items, payments or letters, scores each on its checklist, and
the scores are there for the staff member's evaluation."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mesa_cs.lib.dates import today
from mesa_cs.lib.roles import Role
from staffing.models import Section, SpotCheck, SpotCheckQuestion
from staffing.selectors import spot_check_sample, spot_check_scores
from staffing.services import spot_check_record, work_item_close, work_item_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(role_users):
    items = []
    for n in range(3):
        item = work_item_open(kind="callback", section=Section.CONTACT_CENTER, title=f"Call {n}")
        items.append(
            work_item_close(item_id=item.pk, closed_by=role_users[Role.CLERK], outcome="Called")
        )
    return items


def _questions():
    return list(SpotCheckQuestion.objects.filter(subject="work_item", active=True))


def test_each_kind_has_its_checklist():
    subjects = set(SpotCheckQuestion.objects.values_list("subject", flat=True))
    assert subjects == {"work_item", "payment", "letter"}
    assert len(_questions()) == 5


def test_a_sample_is_done_work_not_yet_checked(closed, role_users):
    sample = spot_check_sample("work_item", since=today() - timedelta(days=7), size=10)
    assert {row["pk"] for row in sample} == {i.pk for i in closed}
    assert {row["staff_id"] for row in sample} == {role_users[Role.CLERK].pk}
    questions = _questions()
    spot_check_record(
        subject="work_item",
        object_id=closed[0].pk,
        passed={q.pk for q in questions},
        comment="",
        by=role_users[Role.SUPERVISOR],
    )
    again = spot_check_sample("work_item", since=today() - timedelta(days=7), size=10)
    assert closed[0].pk not in {row["pk"] for row in again}
    assert spot_check_sample("work_item", since=today() + timedelta(days=1)) == []


def test_the_score_is_the_share_of_the_checklist_met(closed, role_users):
    questions = _questions()
    supervisor = role_users[Role.SUPERVISOR]
    first = spot_check_record(
        subject="work_item",
        object_id=closed[0].pk,
        passed={q.pk for q in questions[:4]},
        comment="No note on the account",
        by=supervisor,
    )
    assert first.score == D("80.00") and first.staff == role_users[Role.CLERK]
    second = spot_check_record(
        subject="work_item",
        object_id=closed[1].pk,
        passed={questions[0].pk},
        comment="",
        by=supervisor,
    )
    assert second.score == D("20.00")
    assert [a.passed for a in first.answers.order_by("question__position")] == [
        True,
        True,
        True,
        True,
        False,
    ]
    scores = spot_check_scores(role_users[Role.CLERK], since=date(2026, 1, 1))
    assert scores == {"checks": 2, "average": D("50.00")}


def test_checks_are_a_leads_each_once_and_never_of_their_own_work(closed, role_users):
    questions = {q.pk for q in _questions()}
    with pytest.raises(PermissionDenied):
        spot_check_record(
            subject="work_item",
            object_id=closed[0].pk,
            passed=questions,
            comment="",
            by=role_users[Role.CLERK],
        )
    own = work_item_open(kind="enquiry", section=Section.CREDIT, title="Mine")
    work_item_close(item_id=own.pk, closed_by=role_users[Role.SUPERVISOR], outcome="Done")
    with pytest.raises(ValidationError, match="their own work"):
        spot_check_record(
            subject="work_item",
            object_id=own.pk,
            passed=questions,
            comment="",
            by=role_users[Role.SUPERVISOR],
        )
    spot_check_record(
        subject="work_item",
        object_id=closed[0].pk,
        passed=questions,
        comment="",
        by=role_users[Role.SUPERVISOR],
    )
    with pytest.raises(ValidationError, match="already been spot-checked"):
        spot_check_record(
            subject="work_item",
            object_id=closed[0].pk,
            passed=questions,
            comment="",
            by=role_users[Role.ADMINISTRATOR],
        )
    assert SpotCheck.objects.count() == 1


def test_a_payment_is_checked_against_who_took_it(role_users):
    from accounts.models import JournalEntry
    from accounts.services import Charge, charges_post
    from tests.factories import AccountFactory

    entry = charges_post(
        account=AccountFactory(),
        kind=JournalEntry.Kind.PAYMENT,
        effective_on=today(),
        description="Counter payment",
        charges=[Charge(D("-40.00"), "water")],
        created_by=role_users[Role.CASHIER],
    )
    check = spot_check_record(
        subject="payment",
        object_id=entry.pk,
        passed=set(
            SpotCheckQuestion.objects.filter(subject="payment").values_list("pk", flat=True)
        ),
        comment="",
        by=role_users[Role.SUPERVISOR],
    )
    assert (check.staff, check.score) == (role_users[Role.CASHIER], D("100.00"))


def test_the_pages_sample_and_record(client_as, closed):
    client = client_as(Role.SUPERVISOR)
    page = client.get(
        reverse("staffing:spot_checks"), {"sample-subject": "work_item", "sample-days": "7"}
    )
    url = reverse("staffing:spot_check", args=["work_item", closed[2].pk])
    assert url in page.content.decode()
    questions = _questions()
    response = client.post(
        url, {"passed": [str(q.pk) for q in questions[:3]], "comment": "Fine, but no note"}
    )
    assert response.status_code == 302
    assert SpotCheck.objects.get(object_id=closed[2].pk).score == D("60.00")
    assert client.post(url, {"passed": []}).status_code == 400  # checked already
    assert client_as(Role.CLERK).get(url).status_code == 403


def test_a_sample_leaves_out_the_checkers_own_work(role_users):
    """Found in the supervisor's walkthrough: the sample offered her own
    work, which she then could not score."""
    supervisor = role_users[Role.SUPERVISOR]
    own = work_item_open(kind="enquiry", section=Section.CREDIT, title="Mine")
    work_item_close(item_id=own.pk, closed_by=supervisor, outcome="Done")
    since = today() - timedelta(days=7)
    assert [r["pk"] for r in spot_check_sample("work_item", since=since)] == [own.pk]
    assert spot_check_sample("work_item", since=since, not_by=supervisor.pk) == []

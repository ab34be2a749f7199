"""The supervisors' demo (issue 16 item 7): staff with profiles in every
section, a fortnight of open and closed work in the queues, complaints at
each level, and spot checks already scored (docs/demo_data.md).

Deterministic for a seed; run once (the caller keeps it all-or-nothing and
skips it when demo staff profiles exist)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from mesa_cs.lib.roles import Role

# Staff beyond the demo logins, two per section; they cannot sign in.
EXTRA_STAFF = [
    ("cc.lopez", Role.CLERK, "contact_center", "Maria", "Lopez", ("spanish",)),
    ("cc.begay", Role.CLERK, "contact_center", "Tom", "Begay", ()),
    ("bo.harris", Role.CASHIER, "business_office", "Jade", "Harris", ("cashiering",)),
    ("bo.silva", Role.CASHIER, "business_office", "Rita", "Silva", ("cashiering", "spanish")),
    ("am.wong", Role.BILLING, "account_maintenance", "Kevin", "Wong", ("billing",)),
    ("am.tso", Role.ALARMS, "account_maintenance", "Lena", "Tso", ("alarms",)),
    ("cr.garcia", Role.CREDIT, "credit", "Luis", "Garcia", ("credit", "spanish")),
    ("cr.miller", Role.CREDIT, "credit", "Ann", "Miller", ("credit",)),
    ("sw.young", Role.EMS, "solid_waste", "Ray", "Young", ("solid_waste",)),
    ("sw.diaz", Role.EMS, "solid_waste", "Paula", "Diaz", ("solid_waste", "spanish")),
]
# The demo logins' own profiles.
LOGIN_PROFILES = {
    "clerk": ("contact_center", "main", ("spanish",)),
    "cashier": ("business_office", "main", ("cashiering",)),
    "billing": ("account_maintenance", "main", ("billing",)),
    "credit": ("credit", "main", ("credit",)),
    "alarms": ("account_maintenance", "main", ("alarms",)),
    "ems": ("solid_waste", "east", ("solid_waste",)),
    "supervisor": ("contact_center", "main", ("complaints", "spanish")),
}
# Work each section gets: (kind, title).
WORK = {
    "contact_center": [
        ("callback", "Call back about a start date"),
        ("enquiry", "Billing question"),
    ],
    "business_office": [("suspense_payment", "Lockbox item without account")],
    "account_maintenance": [
        ("read_exception", "High read held"),
        ("bill_run_exception", "No rate for service"),
        ("alarm_research", "Alarm incident matched no permit"),
    ],
    "credit": [("deposit_dispute", "Deposit disputed"), ("dispute", "Disconnect fee disputed")],
    "solid_waste": [("missed_pickup", "Missed recycling pickup")],
}
OUTCOMES = ["Resolved with the customer", "Corrected and noted", "Re-read ordered", "Explained"]


@dataclass
class StaffingDemo:
    profiles: int = 0
    open_items: int = 0
    closed_items: int = 0
    complaints: int = 0
    spot_checks: int = 0


def demo_staffing(*, today: datetime.date, seed: int = 1) -> StaffingDemo:
    from staffing.models import Skill, StaffProfile

    rng = random.Random(seed)
    users = get_user_model().objects
    supervisor = users.get(username="supervisor")
    made = StaffingDemo()
    skills = {s.code: s for s in Skill.objects.all()}
    staff_by_section: dict[str, list] = {}
    for username, (section, office, codes) in LOGIN_PROFILES.items():
        user = users.get(username=username)
        _profile(user, section, office, codes, supervisor, skills)
        staff_by_section.setdefault(section, []).append(user)
        made.profiles += 1
    for username, role, section, first, last, codes in EXTRA_STAFF:
        user, _ = users.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.set_unusable_password()
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        office = "east" if username.endswith(("silva", "diaz", "tso")) else "main"
        _profile(user, section, office, codes, supervisor, skills)
        staff_by_section.setdefault(section, []).append(user)
        made.profiles += 1
    made.open_items, made.closed_items = _work(rng, today, staff_by_section)
    made.complaints = _complaints(rng, staff_by_section, supervisor)
    made.spot_checks = _spot_checks(rng, supervisor)
    StaffProfile.objects.filter(user=supervisor).update(title="Customer Service Supervisor")
    return made


# The Contact Center's logins in the phone system (demo/calls.py names them).
AGENT_IDS = {"clerk": "4001", "cc.lopez": "4002", "cc.begay": "4003"}


def _profile(user, section, office, codes, supervisor, skills):
    from staffing.models import StaffProfile

    profile, _ = StaffProfile.objects.update_or_create(
        user=user,
        defaults={
            "section": section,
            "office": office,
            "title": "Customer Service Representative",
            "supervisor": None if user == supervisor else supervisor,
            "phone_agent_id": AGENT_IDS.get(user.username, ""),
        },
    )
    profile.skills.set([skills[c] for c in codes if c in skills])


def _work(rng, today, staff_by_section) -> tuple[int, int]:
    """A fortnight of work per section: what came in each working day, most
    of it closed by the section's staff, the rest open, some overdue."""
    from staffing.models import WorkItem, WorkKind
    from staffing.services import service_level_apply

    levels = {k.kind: k for k in WorkKind.objects.all()}
    now = timezone.now()
    items = []
    for section, kinds in WORK.items():
        people = staff_by_section[section]
        for days_ago in range(14, -1, -1):
            opened = now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 6))
            for _ in range(rng.randint(1, 3)):
                kind, title = rng.choice(kinds)
                item = WorkItem(
                    kind=kind,
                    section=section,
                    title=title,
                    opened_at=opened,
                    source_key=f"demo-work:{section}:{len(items)}",
                )
                service_level_apply(item, levels.get(kind), asked=None)
                if item.due_on is not None:
                    item.due_on -= datetime.timedelta(days=days_ago)
                person = rng.choice(people)
                if days_ago > 1 and rng.random() < 0.8:
                    item.status = WorkItem.Status.CLOSED
                    item.assignee = item.closed_by = person
                    item.closed_at = opened + datetime.timedelta(hours=rng.randint(2, 60))
                    item.closed_at = min(item.closed_at, now)
                    item.outcome = rng.choice(OUTCOMES)
                elif rng.random() < 0.5:
                    item.assignee, item.status = person, WorkItem.Status.IN_PROGRESS
                items.append(item)
    WorkItem.objects.bulk_create(items)
    closed = sum(1 for i in items if i.status == WorkItem.Status.CLOSED)
    return len(items) - closed, closed


def _complaints(rng, staff_by_section, supervisor) -> int:
    from accounts.models import Account
    from staffing.services import (
        complaint_close,
        complaint_escalate,
        complaint_open,
        complaint_respond,
    )

    accounts = list(Account.objects.filter(status="active").order_by("pk")[:6])
    if len(accounts) < 4:
        return 0
    clerk = staff_by_section["contact_center"][0]
    billing = staff_by_section["account_maintenance"][0]
    cases = [
        ("call", "high_bill", "Bill doubled in July; says nobody was home all month."),
        ("walk_in", "collections", "Shut off while a payment arrangement was in place."),
        ("email", "solid_waste", "Recycling missed three weeks running on Brown Rd."),
        ("council", "billing", "Charged the commercial water rate for a home."),
        ("call", "staff", "Kept on hold 25 minutes, then cut off."),
    ]
    made = []
    for (channel, category, text), account in zip(cases, accounts, strict=False):
        made.append(
            complaint_open(
                account=account, channel=channel, category=category, description=text, by=clerk
            )
        )
    # One answered and closed, one with a supervisor, one with the administrator.
    complaint_respond(
        complaint_id=made[0].pk,
        text="We re-read your meter; the July read was right. A free water audit is offered.",
        by=billing,
    )
    complaint_close(
        complaint_id=made[0].pk,
        root_cause="understanding",
        resolution="Summer irrigation explained; audit booked",
        by=billing,
    )
    credit = staff_by_section["credit"][0]
    complaint_escalate(complaint_id=made[1].pk, reason="Asks for a supervisor", by=credit)
    complaint_escalate(
        complaint_id=made[3].pk,
        reason="Referred by a council office",
        by=staff_by_section["account_maintenance"][0],
    )
    complaint_escalate(complaint_id=made[3].pk, reason="Refund over policy", by=supervisor)
    return len(made)


def _spot_checks(rng, supervisor) -> int:
    from staffing.models import SpotCheckQuestion, WorkItem
    from staffing.services import spot_check_record

    questions = list(SpotCheckQuestion.objects.filter(subject="work_item", active=True))
    closed = list(
        WorkItem.objects.filter(status=WorkItem.Status.CLOSED, closed_by__isnull=False)
        .exclude(closed_by=supervisor)
        .order_by("pk")[:40]
    )
    made = 0
    for item in rng.sample(closed, min(6, len(closed))):
        met = {q.pk for q in questions if rng.random() < 0.8}
        spot_check_record(
            subject="work_item", object_id=item.pk, passed=met, comment="", by=supervisor
        )
        made += 1
    return made

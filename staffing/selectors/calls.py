"""The contact center's service levels for the pages and their exports
(docs/contact_center.md): the phone system's interval rows summed by
interval, day, queue or agent, each group's figures by
``staffing.rules.service_levels``, against the targets in settings, and
first-contact resolution from the contact log."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Contact
from mesa_cs.lib.formatting import staff_name
from staffing.models import CallInterval, IntervalFile, StaffProfile
from staffing.rules import service_levels as rules

GROUPS = {"interval": "Interval", "day": "Day", "queue": "Queue", "agent": "Agent"}
SUMS = [
    "offered", "answered", "abandoned", "answered_in_target", "answer_delay_seconds",
    "talk_seconds", "hold_seconds", "after_call_seconds",
]  # fmt: skip
JUDGED = ("service_level", "speed_of_answer", "abandonment", "occupancy", "first_contact")
# A later contact on the account by the customer (not a letter we mailed)
# means the call did not settle it.
CUSTOMER_CHANNELS = (Contact.Channel.CALL, Contact.Channel.WALK_IN, Contact.Channel.EMAIL)


def targets() -> rules.Targets:
    return rules.Targets(
        service_level=settings.CONTACT_CENTER_SERVICE_LEVEL_TARGET,
        answer_seconds=settings.CONTACT_CENTER_ANSWER_SECONDS,
        speed_of_answer=settings.CONTACT_CENTER_SPEED_OF_ANSWER_TARGET,
        abandonment=settings.CONTACT_CENTER_ABANDONMENT_TARGET,
        occupancy=settings.CONTACT_CENTER_OCCUPANCY_TARGET,
        occupancy_band=settings.CONTACT_CENTER_OCCUPANCY_BAND,
        first_contact=settings.CONTACT_CENTER_FIRST_CONTACT_TARGET,
    )


def _span(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(start, time(), tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time(), tzinfo=zone),
    )


def queues() -> list[str]:
    """The queues the phone system has reported, for the page's filter."""
    return list(
        CallInterval.objects.filter(agent_id="")
        .order_by("queue")
        .values_list("queue", flat=True)
        .distinct()
    )


def agent_names(agent_ids=None) -> dict[str, str]:
    """Agent id -> the staff member's name, for the agents linked by
    ``StaffProfile.phone_agent_id``."""
    profiles = StaffProfile.objects.exclude(phone_agent_id="").select_related("user")
    if agent_ids is not None:
        profiles = profiles.filter(phone_agent_id__in=list(agent_ids))
    return {p.phone_agent_id: staff_name(p.user) for p in profiles}


def agent_label(agent_id: str, names: dict[str, str]) -> str:
    name = names.get(agent_id)
    return f"{name} ({agent_id})" if name else f"{agent_id} (no staff member)"


def agents() -> list[tuple[str, str]]:
    """(agent id, label) of every agent the phone system has reported."""
    ids = list(
        CallInterval.objects.exclude(agent_id="")
        .order_by("agent_id")
        .values_list("agent_id", flat=True)
        .distinct()
    )
    names = agent_names(ids)
    return [(agent, agent_label(agent, names)) for agent in ids]


def _grouped(rows, by: str):
    key = {
        "interval": F("starts_at"),
        "day": TruncDate("starts_at", tzinfo=timezone.get_default_timezone()),
        "queue": F("queue"),
        "agent": F("agent_id"),
    }[by]
    return rows.annotate(group=key).values("group").order_by("group")


def _interval_sums(start: date, end: date, *, by: str, queue: str, agent: str) -> dict:
    """group -> {sums} from the queue rows (or, for agents, the agent rows),
    with the agents' handle and staffed seconds for occupancy."""
    first, after = _span(start, end)
    rows = CallInterval.objects.filter(starts_at__gte=first, starts_at__lt=after)
    if queue:
        rows = rows.filter(queue=queue)
    agent_rows = rows.exclude(agent_id="")
    if agent:
        agent_rows = agent_rows.filter(agent_id=agent)
    calls = agent_rows if (agent or by == "agent") else rows.filter(agent_id="")
    found = {
        row["group"]: row
        for row in _grouped(calls, by).annotate(**{name: Sum(name) for name in SUMS})
    }
    staffed = _grouped(agent_rows, by).annotate(
        staffed_seconds=Sum("staffed_seconds"),
        agent_handle=Sum(F("talk_seconds") + F("hold_seconds") + F("after_call_seconds")),
    )
    for row in staffed:
        entry = found.setdefault(row["group"], {"group": row["group"]})
        entry["staffed_seconds"] = row["staffed_seconds"]
        entry["agent_handle"] = row["agent_handle"]
    return found


def _first_contacts(start: date, end: date, *, by: str, agent: str, now: datetime) -> dict:
    """group -> (resolved, decided) for the calls in the contact log whose
    7-day window has closed by ``now`` (docs/contact_center.md)."""
    if by not in ("day", "agent"):
        by = None
    window = timedelta(days=settings.CONTACT_CENTER_FIRST_CONTACT_DAYS)
    first, after = _span(start, end)
    calls = Contact.objects.filter(
        channel=Contact.Channel.CALL,
        created_at__gte=first,
        created_at__lt=min(after, now - window),
    )
    agents_by_user = dict(
        StaffProfile.objects.exclude(phone_agent_id="").values_list("user_id", "phone_agent_id")
    )
    if agent:
        users = [user for user, agent_id in agents_by_user.items() if agent_id == agent]
        calls = calls.filter(created_by_id__in=users)
    again = Contact.objects.filter(
        account_id=OuterRef("account_id"),
        channel__in=CUSTOMER_CHANNELS,
        created_at__gt=OuterRef("created_at"),
        created_at__lte=OuterRef("created_at") + window,
    )
    calls = calls.annotate(again=Exists(again))
    key = {
        None: None,
        "day": TruncDate("created_at", tzinfo=timezone.get_default_timezone()),
        "agent": F("created_by_id"),
    }[by]
    grouped = (calls.annotate(group=key) if key is not None else calls).values(
        *(["group"] if key is not None else [])
    )
    if key is None:
        totals = calls.aggregate(decided=Count("pk"), resolved=Count("pk", filter=Q(again=False)))
        return {None: (totals["resolved"], totals["decided"])}
    result: dict = {}
    for row in grouped.annotate(
        decided=Count("pk"), resolved=Count("pk", filter=Q(again=False))
    ).order_by():
        group = agents_by_user.get(row["group"], "") if by == "agent" else row["group"]
        resolved, decided = result.get(group, (0, 0))
        result[group] = (resolved + row["resolved"], decided + row["decided"])
    return result


def _figures(sums: dict, fcr: tuple[int, int] | None, goal: rules.Targets) -> dict:
    totals = rules.Totals.of(sums)
    agents_only = rules.Totals(
        talk_seconds=int(sums.get("agent_handle") or 0),
        staffed_seconds=int(sums.get("staffed_seconds") or 0),
    )
    values = rules.figures(totals)
    values["occupancy"] = rules.occupancy(agents_only)
    values["first_contact"] = rules.first_contact(*fcr) if fcr else None
    return {
        "offered": totals.offered,
        "answered": totals.answered,
        "abandoned": totals.abandoned,
        "answered_in_20s": totals.answered_in_target,
        "service_level_percent": values["service_level"],
        "service_level_target": rules.verdict("service_level", values["service_level"], goal),
        "speed_of_answer_seconds": values["speed_of_answer"],
        "speed_of_answer_target": rules.verdict("speed_of_answer", values["speed_of_answer"], goal),
        "abandonment_percent": values["abandonment"],
        "abandonment_target": rules.verdict("abandonment", values["abandonment"], goal),
        "handle_time_seconds": values["handle_time"],
        "occupancy_percent": values["occupancy"],
        "occupancy_target": rules.verdict("occupancy", values["occupancy"], goal),
        "first_contact_percent": values["first_contact"],
        "first_contact_target": rules.verdict("first_contact", values["first_contact"], goal)
        if fcr
        else rules.NO_FIGURE,
        "first_contact_calls": fcr[1] if fcr else 0,
    }


def _label(group, by: str, names: dict[str, str]):
    """The group's cell: an interval's start (Phoenix time), a day, a queue,
    an agent by name."""
    if by == "interval":
        return timezone.localtime(group)
    if by == "agent":
        return agent_label(group, names)
    return group


def service_levels(
    start: date,
    end: date,
    *,
    by: str = "day",
    queue: str = "",
    agent: str = "",
    now: datetime | None = None,
) -> list[dict]:
    """One row per group (interval, day, queue or agent) of the days
    [start, end], each with its calls and figures against the targets,
    and a last row for the whole period (its group "All")."""
    now = now or timezone.now()
    goal = targets()
    sums = _interval_sums(start, end, by=by, queue=queue, agent=agent)
    fcr = {} if queue else _first_contacts(start, end, by=by, agent=agent, now=now)
    whole = _first_contacts(start, end, by="all", agent=agent, now=now) if not queue else {}
    names = agent_names(sums) if by == "agent" else {}
    heading = GROUPS[by]
    rows = [
        {heading: _label(group, by, names), **_figures(found, fcr.get(group), goal)}
        for group, found in sorted(sums.items(), key=lambda pair: pair[0])
    ]
    total = {name: sum(int(found.get(name) or 0) for found in sums.values()) for name in SUMS}
    total["staffed_seconds"] = sum(int(f.get("staffed_seconds") or 0) for f in sums.values())
    total["agent_handle"] = sum(int(f.get("agent_handle") or 0) for f in sums.values())
    rows.append({heading: "All", **_figures(total, whole.get(None), goal)})
    return rows


def interval_files() -> list[IntervalFile]:
    return list(IntervalFile.objects.select_related("uploaded_by").defer("content")[:20])

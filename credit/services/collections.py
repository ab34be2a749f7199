"""The daily collection run: every past-due account moves at most one step
along its class's ladder per date, unless a hold stops it.

Built for city scale: past due for every account comes from one aggregate
query over the receivable; the accounts that can move are then handled in
chunks with a few bulk reads and writes each. A second run for the same date
finds every account that moved already has its step for the day (a unique
constraint) and moves nobody."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import (
    Account,
    AccountFlag,
    FieldActivity,
    GLAccount,
    JournalEntry,
    ServiceAgreement,
    Utility,
)
from accounts.selectors import account_balance
from accounts.selectors.aging import past_due_by_account
from accounts.selectors.ledger import OPEN_ITEMS_SLICE, aging_bucket, receivable_open_items_many
from accounts.services import Charge, EntrySpec, GLChart, charge_legs, entries_post_many
from accounts.services.field import FieldActivitySpec, field_activities_order_many
from credit.models import (
    CollectionEvent,
    CollectionRun,
    CollectionState,
    HeatDay,
    Hold,
    LadderStep,
    NoticeBatch,
    PaymentArrangement,
)
from credit.services.holds import holds_in_force
from mesa_cs.lib.dates import refuse_future
from mesa_cs.lib.money import ZERO, to_money
from mesa_cs.lib.system import system_user

Action = LadderStep.Action
CHUNK = 5000
# Steps that lead to a disconnection: none below the minimum past due.
DISCONNECT_PATH = {Action.DISCONNECT_NOTICE, Action.DISCONNECT_ELIGIBLE, Action.DISCONNECT_ORDER}
# An open account climbs toward disconnection; a final-billed one toward the agency.
OPEN_ACTIONS = {Action.REMINDER} | DISCONNECT_PATH
FINAL_ACTIONS = {
    Action.REMINDER,
    Action.FINAL_BILL_COLLECTION,
    Action.AGENCY_REFERRAL,
    Action.WRITE_OFF,
}
NOTICE_ACTIONS = {Action.REMINDER, Action.DISCONNECT_NOTICE, Action.FINAL_BILL_COLLECTION}
# Not bankruptcy: the pre-petition debt is off the receivable, and the stay
# does not protect post-petition charges once the assurance deadline is past
# (the bankruptcy hold lasts until then).
FLAG_HOLDS = {
    AccountFlag.Kind.MEDICAL_CERTIFICATE,
    AccountFlag.Kind.DISPUTE,
    AccountFlag.Kind.DO_NOT_DISCONNECT,
}


def hold_label(code: str) -> str:
    """What a stored hold code means, for people."""
    if code in Hold.Kind.values:
        return Hold.Kind(code).label
    if code.startswith("flag_") and code[5:] in AccountFlag.Kind.values:
        return f"Account flag: {AccountFlag.Kind(code[5:]).label.lower()}"
    return {
        "below_minimum": "Past due under the disconnect minimum",
        "heat": "Heat protection",
        "nothing_to_disconnect": "No active metered service to disconnect",
    }.get(code, code)


@dataclass
class RunReport:
    run_on: date
    counts: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        keys = [
            "accounts_examined",
            "held",
            "reminders",
            "notices",
            "eligible",
            "disconnect_orders",
            "final_collections",
            "agency_referrals",
            "write_offs",
            "cleared",
            "already_moved",
            "refused",
            "disconnects_cancelled",
        ]
        out = {key: self.counts.get(key, 0) for key in keys}
        out["holds"] = {
            key[5:]: value for key, value in sorted(self.counts.items()) if key.startswith("hold:")
        }
        out["fees"] = str(to_money(Decimal(self.counts.get("fees_cents", 0)) / 100))
        return {"run_on": self.run_on.isoformat(), **out}


def heat_protected(on: date) -> set[str]:
    """Utilities that may not be disconnected on ``on`` (docs/policies.md, "Heat protection")."""
    protected = set()
    start_month, start_day = settings.HEAT_SEASON_START
    end_month, end_day = settings.HEAT_SEASON_END
    if (start_month, start_day) <= (on.month, on.day) <= (end_month, end_day):
        protected.add(Utility.ELECTRIC)
    for kind in HeatDay.objects.filter(day=on).values_list("kind", flat=True):
        protected.add(Utility.ELECTRIC)
        if kind == HeatDay.Kind.WARNING:
            protected.add(Utility.WATER)
    return protected


class Ladders:
    """The active ladders' steps by customer class, in order."""

    def __init__(self):
        self.by_class: dict[str, list[LadderStep]] = defaultdict(list)
        for step in LadderStep.objects.filter(ladder__active=True).select_related("ladder"):
            self.by_class[step.ladder.customer_class].append(step)
        for steps in self.by_class.values():
            steps.sort(key=lambda s: s.position)

    def step_for(self, customer_class: str, action: str) -> LadderStep | None:
        return next((s for s in self.by_class.get(customer_class, []) if s.action == action), None)

    def next_step(self, customer_class: str, current: LadderStep | None, final: bool):
        allowed = FINAL_ACTIONS if final else OPEN_ACTIONS
        after = current.position if current else 0
        for step in self.by_class.get(customer_class, []):
            if step.position > after and step.action in allowed:
                return step
        return None


class CollectionsError(ValueError):
    """A run that may not be made; the message says why."""


def collections_run(*, on: date, by=None) -> RunReport:
    """Advance every ladder for ``on``. Safe to run twice for the same date;
    refused for a date before the latest run (it would judge today's ladder
    positions by an older balance)."""
    refuse_future("run_on", on, "Run collections for")
    latest = (
        CollectionRun.objects.filter(finished_at__isnull=False)
        .order_by("-run_on")
        .values_list("run_on", flat=True)
        .first()
    )
    if latest and on < latest:
        raise CollectionsError(
            f"Collections already ran for {latest:%m/%d/%Y}; a run for an earlier date is refused."
        )
    report = RunReport(on)
    run, _ = CollectionRun.objects.get_or_create(run_on=on)
    # Orders that no longer stand (a hold dated to start today, a flag, heat,
    # a payment under the minimum) come off the crew sheet before the ladder moves.
    from credit.services.disconnects import disconnect_orders_review

    report.counts["disconnects_cancelled"] = disconnect_orders_review(on=on, by=by)
    past_due = _utility_only(past_due_by_account(on))
    report.counts["cleared"] = _clear_paid(past_due, on)
    ladders = Ladders()
    protected = heat_protected(on)
    by = by or system_user()
    ids = sorted(past_due)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            _advance(chunk, past_due, on, ladders, protected, by, report)
    run.counts = report.as_dict()
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    if report.counts.get("batched"):
        from credit.tasks import notice_batches_build

        notice_batches_build.delay_on_commit(on.isoformat())
    return report


def _utility_only(past_due: dict[int, Decimal]) -> dict[int, Decimal]:
    """Leave out alarm accounts: the Alarm Permit Unit collects its own fees
    by suspending the permit (alarms.services.suspensions), never by a
    reminder, a notice or a disconnection."""
    alarm = set(Account.objects.filter(kind=Account.Kind.ALARM).values_list("pk", flat=True))
    return {a: amount for a, amount in past_due.items() if a not in alarm}


def _clear_paid(past_due: dict[int, Decimal], on: date) -> int:
    """Accounts on a ladder whose past due is paid start again from the bottom."""
    tracked = CollectionState.objects.filter(
        Q(step__isnull=False) | Q(oldest_due_on__isnull=False)
    ).values_list("account_id", flat=True)
    paid = [account_id for account_id in tracked if account_id not in past_due]
    if paid:
        CollectionState.objects.filter(account_id__in=paid).update(
            step=None, step_on=None, past_due=ZERO, oldest_due_on=None, held_by="", updated_on=on
        )
    return len(paid)


def _oldest_due(account_ids: list[int], on: date) -> dict[int, date]:
    """The due date of each account's oldest open past-due charge."""
    oldest = {}
    for start in range(0, len(account_ids), OPEN_ITEMS_SLICE):
        part = account_ids[start : start + OPEN_ITEMS_SLICE]
        for account_id, items in receivable_open_items_many(part, as_of=on).items():
            due = [item.due_on for item in items if aging_bucket(item.due_on, on) != "current"]
            if due:
                oldest[account_id] = min(due)
    return oldest


def _advance(chunk, past_due, on, ladders, protected, by, report) -> None:
    counts = report.counts
    counts["accounts_examined"] += len(chunk)
    accounts = Account.objects.in_bulk(chunk)
    states = {s.account_id: s for s in CollectionState.objects.filter(account_id__in=chunk)}
    before = {a: _state_values(s) for a, s in states.items()}
    new = [a for a in chunk if a not in states or states[a].oldest_due_on is None]
    oldest = _oldest_due(new, on) if new else {}
    for account_id in new:
        state = states.get(account_id) or CollectionState(account_id=account_id, updated_on=on)
        state.oldest_due_on = oldest.get(account_id, on)
        states[account_id] = state
    moved_today = set(
        CollectionEvent.objects.filter(account_id__in=chunk, run_on=on).values_list(
            "account_id", flat=True
        )
    )
    holds = holds_in_force(chunk, on)
    broken = dict(
        PaymentArrangement.objects.filter(
            account_id__in=chunk,
            status=PaymentArrangement.Status.BROKEN,
            ended_on__gte=on - timedelta(days=settings.BROKEN_ARRANGEMENT_DAYS),
        ).values_list("account_id", "ended_on")
    )
    flags = flag_holds(chunk, on)
    services = _open_metered(chunk)
    steps_by_pk = {s.pk: s for steps in ladders.by_class.values() for s in steps}

    events, fees, orders = [], [], []
    for account_id in chunk:
        account, state = accounts[account_id], states[account_id]
        state.past_due = past_due[account_id]
        if account_id in moved_today:
            counts["already_moved"] += 1
            continue
        current = steps_by_pk.get(state.step_id) if state.step_id else None
        final = account.status in (Account.Status.FINAL, Account.Status.CLOSED)
        step = ladders.next_step(account.customer_class, current, final)
        since = state.step_on if current else state.oldest_due_on
        eligible = ladders.step_for(account.customer_class, Action.DISCONNECT_ELIGIBLE)
        if (
            account_id in broken
            and not final
            and eligible
            and step
            and (step.position <= eligible.position)
        ):
            # Mesa: a broken arrangement makes the account eligible for disconnection.
            step, since = eligible, broken[account_id] - timedelta(days=eligible.delay_days)
        if step is None or on < since + timedelta(days=step.delay_days):
            continue
        hold = _hold_reason(
            step,
            state.past_due,
            holds.get(account_id),
            flags.get(account_id),
            services.get(account_id, []),
            protected,
        )
        if hold:
            state.held_by = hold
            counts["held"] += 1
            counts[f"hold:{hold}"] += 1
            continue
        if step.action in (Action.AGENCY_REFERRAL, Action.WRITE_OFF) and not _hand_over(
            account, step, on, by
        ):
            # Refused (e.g. its balance changed since the past due was read):
            # it stays where it is and is tried again at the next run.
            counts["refused"] += 1
            continue
        state.step, state.step_on, state.held_by = step, on, ""
        events.append(
            CollectionEvent(account_id=account_id, run_on=on, step=step, past_due=state.past_due)
        )
        counts[_count_key(step.action)] += 1
        if step.fee:
            fees.append((account_id, step))
        if step.channel == LadderStep.Channel.DOOR_HANGER or step.action == Action.DISCONNECT_ORDER:
            orders.append((account, step))
    changed = [s for a, s in states.items() if s.pk and before.get(a) != _state_values(s)]
    created = [s for s in states.values() if s.pk is None]
    _write(events, fees, orders, services, on, by, counts)
    CollectionState.objects.bulk_create(created)
    _states_update(changed, on)


def _state_values(state: CollectionState) -> tuple:
    return (state.step_id, state.step_on, state.past_due, state.oldest_due_on, state.held_by)


def _states_update(states: list[CollectionState], on: date) -> None:
    """Only the rows that changed, in one statement (Django's bulk_update
    builds a CASE per row and field, far slower at city scale)."""
    if not states:
        return
    columns = list(zip(*[(s.pk, *_state_values(s)) for s in states], strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {CollectionState._meta.db_table} AS s
               SET step_id = v.step_id, step_on = v.step_on, past_due = v.past_due,
                   oldest_due_on = v.oldest_due_on, held_by = v.held_by, updated_on = %s
              FROM unnest(%s::bigint[], %s::bigint[], %s::date[], %s::numeric[], %s::date[],
                          %s::text[]) AS v(id, step_id, step_on, past_due, oldest_due_on, held_by)
             WHERE s.id = v.id
            """,
            [on, *[list(column) for column in columns]],
        )


def _count_key(action: str) -> str:
    return {
        Action.REMINDER: "reminders",
        Action.DISCONNECT_NOTICE: "notices",
        Action.DISCONNECT_ELIGIBLE: "eligible",
        Action.DISCONNECT_ORDER: "disconnect_orders",
        Action.FINAL_BILL_COLLECTION: "final_collections",
        Action.AGENCY_REFERRAL: "agency_referrals",
        Action.WRITE_OFF: "write_offs",
    }[action]


def _hold_reason(step, past_due, hold, flag, services, protected) -> str:
    """Why the step may not be taken today, or ""."""
    if hold is not None:
        return hold.kind
    if flag:
        return flag
    if step.action in DISCONNECT_PATH and past_due < settings.DISCONNECT_MINIMUM_PAST_DUE:
        return "below_minimum"
    if step.action == Action.DISCONNECT_ORDER:
        if not services:
            return "nothing_to_disconnect"
        if any(sa.utility in protected for sa in services):
            return "heat"
    return ""


def flag_holds(chunk, on) -> dict[int, str]:
    flags = (
        AccountFlag.objects.filter(account_id__in=chunk, kind__in=FLAG_HOLDS, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .values_list("account_id", "kind")
    )
    return {account_id: f"flag_{kind}" for account_id, kind in flags}


def _open_metered(chunk) -> dict[int, list[ServiceAgreement]]:
    services = defaultdict(list)
    for sa in ServiceAgreement.objects.filter(
        account_id__in=chunk,
        status=ServiceAgreement.Status.ACTIVE,
        service_point__isnull=False,
    ).select_related("premise", "service_point"):
        services[sa.account_id].append(sa)
    return services


def _hand_over(account, step, on, by) -> bool:
    """Refer the debt to the agency or ask for its write-off; False if refused."""
    from credit.services.agency import agency_refer
    from credit.services.write_offs import write_off_request

    try:
        with transaction.atomic():
            if step.action == Action.AGENCY_REFERRAL:
                agency_refer(account=account, on=on, by=by)
            else:
                balance = account_balance(account.pk)
                if balance <= ZERO:
                    return False
                write_off_request(
                    account=account,
                    amount=balance,
                    requested_by=by,
                    reason="Final bill unpaid after the collection agency referral",
                )
    except ValidationError:
        return False
    return True


def _write(events, fees, orders, services, on, by, counts):
    batches = {}
    for event in events:
        if event.step.action in NOTICE_ACTIONS:
            action = event.step.action
            if action not in batches:
                batches[action], _ = NoticeBatch.objects.get_or_create(run_on=on, action=action)
            event.batch = batches[action]
            counts["batched"] += 1
    if fees:
        chart = GLChart()
        specs = [
            EntrySpec(
                kind=JournalEntry.Kind.FEE,
                effective_on=on,
                due_on=on,
                description=f"{step.get_action_display()} charge",
                legs=charge_legs(
                    chart, account_id, [Charge(step.fee, revenue_purpose=GLAccount.Purpose.FEES)]
                ),
                account_id=account_id,
                source_key=f"collection:{account_id}:{on.isoformat()}",
            )
            for account_id, step in fees
        ]
        entry_ids = entries_post_many(specs, created_by=by)
        fee_entry = dict(zip((spec.account_id for spec in specs), entry_ids, strict=True))
        for event in events:
            event.fee_entry_id = fee_entry.get(event.account_id)
        counts["fees_cents"] += int(sum(step.fee for _, step in fees) * 100)
    # The unique (account, run_on) constraint makes a racing second run fail
    # here rather than move an account twice.
    CollectionEvent.objects.bulk_create(events)
    _orders(orders, services, on, by)


def _orders(orders, services, on, by) -> None:
    """Door hangers with notices; a disconnect order per metered service."""
    specs = []
    for account, step in orders:
        metered = services.get(account.pk, [])
        if step.action == Action.DISCONNECT_ORDER:
            for sa in metered:
                specs.append(
                    FieldActivitySpec(
                        kind=FieldActivity.Kind.DISCONNECT,
                        account=account,
                        premise=sa.premise,
                        service_point=sa.service_point,
                        agreement=sa,
                        scheduled_on=on,
                        source_key=f"disconnect:{sa.pk}:{on.isoformat()}",
                    )
                )
        elif metered:
            specs.append(
                FieldActivitySpec(
                    kind=FieldActivity.Kind.DOOR_HANGER,
                    account=account,
                    premise=metered[0].premise,
                    scheduled_on=on + timedelta(days=1),
                    notes="Disconnect notice door hanger",
                    source_key=f"door-hanger:{account.pk}:{on.isoformat()}",
                )
            )
    field_activities_order_many(orders=specs, ordered_by=by)

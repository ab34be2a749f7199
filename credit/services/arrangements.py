"""Payment arrangements: the past due spread over a down payment and up to six
monthly installments, each billed with its month's bill, while a hold stops
the collection ladder. A daily review marks them kept or broken.

On the ledger an arrangement re-ages the debt without changing what the
customer owes. One entry on the day credits the arranged amount to the open
charges (oldest first, as a payment would), charges the down payment due that
day, and parks the rest on the customer receivable without an account; each
installment is then its own entry, effective on its month's bill date and due
with that bill, moving its share from the parked amount back to the account.
The total owed (``account_balance`` without a date) never changes and the
past due is cleared; a bill shows only the installments billed by its date.
See docs/credit_arrangements.md."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import (
    Account,
    Contact,
    GLAccount,
    JournalEntry,
    JournalLeg,
    ProgramEnrolment,
    ServiceAgreement,
)
from accounts.selectors import account_aging, receivable_open_items
from accounts.services import (
    GLChart,
    Leg,
    account_note_add,
    contact_log,
    entry_post,
    entry_reverse,
)
from accounts.services.deposits import installment_amounts

# The payment's own leg-building: credit open charges oldest first.
from accounts.services.ledger import credit_legs
from billing.models import CycleDate
from credit.models import ArrangementInstallment, ArrangementRequest, Hold, PaymentArrangement
from credit.services.holds import hold_place, hold_release
from mesa_cs.lib.dates import add_months
from mesa_cs.lib.formatting import money_text, staff_name
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import ZERO, to_money
from mesa_cs.lib.roles import Role, user_roles
from mesa_cs.lib.system import system_user
from staffing.models import Section
from staffing.services import (
    decline_reason,
    request_decided,
    work_item_open,
)

Status = PaymentArrangement.Status
Kind = JournalEntry.Kind


def entry_key(arrangement_id: int, number: int) -> str:
    """The ledger entry of an installment (0: the day's re-aging entry, which
    also charges the down payment)."""
    return f"arrangement:{arrangement_id}:{number}"


def hold_key(arrangement_id: int) -> str:
    return f"arrangement:{arrangement_id}"


def is_supervisor(user) -> bool:
    return user is not None and Role.SUPERVISOR in user_roles(user)


# --- Eligibility -------------------------------------------------------------


def arrangement_eligibility(account: Account, on: date) -> list[str]:
    """Why Mesa refuses this account an arrangement on ``on`` (empty when it
    is eligible). A supervisor may override every one of them."""
    reasons = []
    months = settings.ARRANGEMENT_LOOKBACK_MONTHS
    since = add_months(on, -months)
    made = (
        account.arrangements.filter(made_on__gt=since, made_on__lte=on)
        .exclude(status=Status.CANCELLED)
        .count()
    )
    if made >= settings.ARRANGEMENT_YEARLY_LIMIT:
        reasons.append(
            f"It had {made} payment arrangements in the last {months} months "
            f"(refused at {settings.ARRANGEMENT_YEARLY_LIMIT})."
        )
    broken = account.arrangements.filter(
        status=Status.BROKEN, ended_on__gt=since, ended_on__lte=on
    ).count()
    if broken >= settings.ARRANGEMENT_BROKEN_LIMIT:
        reasons.append(
            f"It broke {broken} payment arrangements in the last {months} months "
            f"(refused at {settings.ARRANGEMENT_BROKEN_LIMIT})."
        )
    budget = (
        ProgramEnrolment.objects.filter(
            account=account, program=ProgramEnrolment.Program.BUDGET, starts_on__lte=on
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .exists()
    )
    if budget:
        reasons.append("It is on Budget Billing.")
    if _final_billed(account, on):
        reasons.append("It is receiving a final bill: its service has ended.")
    returned = _last_payment_returned(account, on)
    if returned is not None:
        reasons.append(f"Its last payment was returned ({returned.effective_on:%m/%d/%Y}).")
    return reasons


def _final_billed(account: Account, on: date) -> bool:
    if account.status in (Account.Status.FINAL, Account.Status.CLOSED):
        return True
    agreements = list(account.agreements.values_list("status", "ends_on"))
    still_served = [
        status
        for status, ends_on in agreements
        if status in ServiceAgreement.OPEN_STATUSES and (ends_on is None or ends_on > on)
    ]
    return bool(agreements) and not still_served


def _last_payment_returned(account: Account, on: date) -> JournalEntry | None:
    """The reversal of a payment, when it is the account's latest payment event."""
    last = (
        JournalEntry.objects.filter(account=account, effective_on__lte=on)
        .filter(Q(kind=Kind.PAYMENT) | Q(kind=Kind.REVERSAL, reverses__kind=Kind.PAYMENT))
        .order_by("-effective_on", "-pk")
        .first()
    )
    return last if last is not None and last.kind == Kind.REVERSAL else None


# --- Making one ----------------------------------------------------------------


def installment_dates(account: Account, on: date, months: int) -> list[tuple[date, date]]:
    """(billed on, due on) for each of the ``months`` months after ``on``: the
    account's bill date in that month when its cycle's schedule has one, else
    the same day of the month; due when that bill is due."""
    wanted = [add_months(on, k) for k in range(1, months + 1)]
    scheduled = {}
    if account.bill_cycle:
        scheduled = {
            (row.year, row.month): row.bill_on
            for row in CycleDate.objects.filter(
                cycle__number=account.bill_cycle, year__in={day.year for day in wanted}
            )
        }
    dates = []
    for day in wanted:
        billed_on = scheduled.get((day.year, day.month))
        if billed_on is None or billed_on <= on or (dates and billed_on <= dates[-1][0]):
            billed_on = day
        dates.append((billed_on, billed_on + timedelta(days=settings.BILL_DUE_DAYS)))
    return dates


def _check_approver(approved_by, made_by) -> None:
    if approved_by is None:
        raise ValidationError({"approved_by": "An override needs the supervisor who approves it."})
    if not is_supervisor(approved_by):
        raise ValidationError({"approved_by": f"{staff_name(approved_by)} is not a supervisor."})
    if approved_by.pk == made_by.pk:
        raise ValidationError({"approved_by": "Another supervisor must approve your own override."})


def _terms(
    account: Account, amount: Decimal | None, down_payment: Decimal, months: int, on: date
) -> tuple[Decimal, Decimal]:
    """The amount arranged (default: the past due) and the down payment, both
    checked against what the account owes; ``months`` within the setting."""
    if not 1 <= months <= settings.ARRANGEMENT_MAX_MONTHS:
        raise ValidationError({"months": f"From 1 to {settings.ARRANGEMENT_MAX_MONTHS} months."})
    past_due = account_aging(account.pk, as_of=on).past_due
    amount = past_due if amount is None else to_money(amount)
    if amount <= ZERO:
        raise ValidationError({"amount": "Nothing is past due: there is nothing to arrange."})
    if amount < past_due:
        raise ValidationError(
            {"amount": f"An arrangement covers at least the past due ({money_text(past_due)})."}
        )
    owed = sum((item.open_amount for item in receivable_open_items(account.pk)), ZERO)
    if amount > owed:
        raise ValidationError(
            {"amount": f"The account owes {money_text(owed)}: arrange no more than that."}
        )
    down_payment = to_money(down_payment)
    if down_payment < ZERO or down_payment >= amount:
        raise ValidationError(
            {"down_payment": "The down payment is $0.00 or more and less than the amount arranged."}
        )
    return amount, down_payment


@transaction.atomic
def arrangement_make(
    *,
    account: Account,
    amount: Decimal | None = None,
    down_payment: Decimal,
    months: int,
    made_by,
    on: date,
    override_reason: str = "",
    approved_by=None,
    channel: str = Contact.Channel.CALL,
) -> PaymentArrangement:
    """Arrange ``amount`` (default: the past due) as a down payment due on
    ``on`` and ``months`` equal monthly installments (the odd cent on the
    first). Refused with Mesa's reasons when the account is not eligible,
    unless ``override_reason`` is given and ``approved_by`` is a supervisor
    other than the maker."""
    # Two representatives on the same account: the second waits, then finds
    # the first one's arrangement active.
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.arrangements.filter(status=Status.ACTIVE).exists():
        raise ValidationError("The account already has an active payment arrangement.")
    if account.arrangement_requests.filter(status=ArrangementRequest.Status.PENDING).exists():
        raise ValidationError(
            "An arrangement for this account waits for a supervisor's approval: "
            "it is decided in the approvals inbox."
        )
    override_reason = override_reason.strip()
    reject_card_numbers(override_reason=override_reason)
    reasons = arrangement_eligibility(account, on)
    if reasons:
        if not override_reason:
            raise ValidationError(reasons)
        _check_approver(approved_by, made_by)
    else:
        override_reason, approved_by = "", None
    amount, down_payment = _terms(account, amount, down_payment, months, on)
    arrangement = PaymentArrangement.objects.create(
        account=account,
        made_on=on,
        amount=amount,
        down_payment=down_payment,
        months=months,
        override_reason=override_reason[:200],
        made_by=made_by,
        approved_by=approved_by,
    )
    rest = amount - down_payment
    chart = GLChart()
    receivable = chart.get(GLAccount.Purpose.RECEIVABLE)
    entry_post(
        kind=Kind.ARRANGEMENT,
        effective_on=on,
        due_on=on,
        account=account,
        created_by=made_by,
        description=f"Payment arrangement #{arrangement.pk}: {money_text(amount)} re-aged"
        + (f", down payment {money_text(down_payment)} due today" if down_payment else ""),
        legs=[
            *credit_legs(account, amount, chart),
            Leg(receivable, down_payment, account.pk),
            Leg(receivable, rest),  # parked: billed back installment by installment
        ],
        source_key=entry_key(arrangement.pk, 0),
    )
    rows = []
    if down_payment:
        rows.append(
            ArrangementInstallment(
                arrangement=arrangement, number=0, due_on=on, amount=down_payment
            )
        )
    parts = installment_amounts(rest, months)
    for number, (part, (billed_on, due_on)) in enumerate(
        zip(parts, installment_dates(account, on, months), strict=True), start=1
    ):
        entry_post(
            kind=Kind.ARRANGEMENT,
            effective_on=billed_on,
            due_on=due_on,
            account=account,
            created_by=made_by,
            description=f"Arrangement #{arrangement.pk} installment {number} of {months}",
            legs=[Leg(receivable, part, account.pk), Leg(receivable, -part)],
            source_key=entry_key(arrangement.pk, number),
        )
        rows.append(
            ArrangementInstallment(
                arrangement=arrangement, number=number, due_on=due_on, amount=part
            )
        )
    ArrangementInstallment.objects.bulk_create(rows)
    hold_place(
        account=account,
        kind=Hold.Kind.ARRANGEMENT,
        owner=made_by,
        starts_on=on,
        ends_on=rows[-1].due_on,
        source_key=hold_key(arrangement.pk),
        reason=f"Payment arrangement #{arrangement.pk}: {money_text(amount)} over {months} months",
    )
    contact_log(
        account=account,
        channel=channel,
        topic=Contact.Topic.ARRANGEMENT,
        created_by=made_by,
        notes=_contact_notes(arrangement, rows),
    )
    return arrangement


# --- Overrides asked for ------------------------------------------------------

ARRANGEMENT_APPROVAL = "arrangement_approval"  # the work item a request opens


def request_key(request_id: int) -> str:
    return f"arrangement-request:{request_id}"


@transaction.atomic
def arrangement_request(
    *,
    account: Account,
    amount: Decimal | None = None,
    down_payment: Decimal,
    months: int,
    requested_by,
    on: date,
    override_reason: str,
    channel: str = Contact.Channel.CALL,
) -> ArrangementRequest:
    """Ask a supervisor to allow an arrangement the policy refuses: the terms
    are checked now and wait in the approvals inbox; the arrangement is made
    when a supervisor other than the representative approves it."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.arrangements.filter(status=Status.ACTIVE).exists():
        raise ValidationError("The account already has an active payment arrangement.")
    if account.arrangement_requests.filter(status=ArrangementRequest.Status.PENDING).exists():
        raise ValidationError("An arrangement for this account already waits for a supervisor.")
    override_reason = override_reason.strip()
    reject_card_numbers(override_reason=override_reason)
    if not arrangement_eligibility(account, on):
        raise ValidationError("The account is eligible: make the arrangement, no approval needed.")
    if not override_reason:
        raise ValidationError(
            {"override_reason": "Say why a supervisor should allow this arrangement."}
        )
    amount, down_payment = _terms(account, amount, down_payment, months, on)
    request = ArrangementRequest.objects.create(
        account=account,
        amount=amount,
        down_payment=down_payment,
        months=months,
        reason=override_reason[:200],
        channel=channel,
        requested_by=requested_by,
    )
    work_item_open(
        kind=ARRANGEMENT_APPROVAL,
        section=Section.CREDIT,
        title=f"Approve a {money_text(amount)} arrangement over {months} months for {account.number}",
        account=account,
        details=override_reason,
        opened_by=requested_by,
        source_key=request_key(request.pk),
    )
    return request


def _pending_request(request_id: int, by) -> ArrangementRequest:
    request = (
        ArrangementRequest.objects.select_for_update(of=("self",))
        .select_related("account", "requested_by")
        .get(pk=request_id)
    )
    if request.status != ArrangementRequest.Status.PENDING:
        raise ValidationError("This arrangement has already been decided.")
    _check_approver(by, request.requested_by)
    return request


@transaction.atomic
def arrangement_request_approve(*, request_id: int, by) -> PaymentArrangement:
    """Make the arrangement asked for, from today, with the representative as
    its maker and the deciding supervisor as its approver."""
    request = _pending_request(request_id, by)
    # Decided first, so that making it does not find its own request waiting;
    # a refusal below rolls both back.
    key = (ARRANGEMENT_APPROVAL, request_key(request.pk))
    request_decided(
        request, status=ArrangementRequest.Status.APPROVED, by=by, work_item=key, outcome="Approved"
    )
    made = arrangement_make(
        account=request.account,
        amount=request.amount,
        down_payment=request.down_payment,
        months=request.months,
        made_by=request.requested_by,
        on=timezone.localdate(),
        override_reason=request.reason,
        approved_by=by,
        channel=request.channel,
    )
    request.arrangement = made
    request.save(update_fields=["arrangement"])
    return made


@transaction.atomic
def arrangement_request_decline(*, request_id: int, by, why: str) -> ArrangementRequest:
    why = decline_reason(why, "the arrangement")
    request = _pending_request(request_id, by)
    request_decided(
        request,
        status=ArrangementRequest.Status.DECLINED,
        by=by,
        work_item=(ARRANGEMENT_APPROVAL, request_key(request.pk)),
        outcome=f"Declined: {why}",
        why=why,
    )
    account_note_add(
        account=request.account,
        created_by=by,
        text=f"Payment arrangement asked by {staff_name(request.requested_by)} declined: {why}",
    )
    return request


def _contact_notes(arrangement: PaymentArrangement, rows) -> str:
    lines = [
        f"Payment arrangement #{arrangement.pk}: {money_text(arrangement.amount)} over "
        f"{arrangement.months} months."
    ]
    for row in rows:
        label = "Down payment" if row.number == 0 else f"Installment {row.number}"
        lines.append(f"{label}: {money_text(row.amount)} due {row.due_on:%m/%d/%Y}")
    if arrangement.override_reason:
        lines.append(
            f"Override approved by {staff_name(arrangement.approved_by)}: "
            f"{arrangement.override_reason}"
        )
    return "\n".join(lines)


# --- Where installments stand ----------------------------------------------------


def open_by_entry(account_ids) -> dict[int, dict[int, Decimal]]:
    """For each account, what is still open of each charge entry when its
    credits pay the charges that fall due first (the way the collection run
    reads past due). Every entry counts, billed or not yet; a reversed entry
    and its reversal cancel out."""
    legs = JournalLeg.objects.filter(
        account_id__in=list(account_ids),
        gl_account__purpose=GLAccount.Purpose.RECEIVABLE,
        entry__reverses__isnull=True,
        entry__reversed_by__isnull=True,
    ).values_list("account_id", "entry_id", "entry__effective_on", "entry__due_on", "amount")
    charges: dict[int, list[tuple]] = defaultdict(list)
    credits: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for account_id, entry_id, effective_on, due_on, amount in legs:
        if amount < ZERO:
            credits[account_id] -= amount
        else:
            charges[account_id].append((due_on or effective_on, effective_on, entry_id, amount))
    result = {}
    for account_id, rows in charges.items():
        left, still_open = credits[account_id], defaultdict(lambda: ZERO)
        for _due_on, _effective_on, entry_id, amount in sorted(rows):
            applied = min(amount, left)
            left -= applied
            if amount > applied:
                still_open[entry_id] += amount - applied
        result[account_id] = dict(still_open)
    return result


@dataclass(frozen=True)
class InstallmentLine:
    number: int
    label: str
    billed_on: date | None
    due_on: date
    amount: Decimal
    open_amount: Decimal
    state: str  # paid, open, past_due, not_billed, brought_forward

    @property
    def state_label(self) -> str:
        return {
            "paid": "Paid",
            "open": "Billed, not yet due",
            "past_due": "Unpaid after its due date",
            "not_billed": "Not yet billed",
            "brought_forward": "Fell due when the arrangement ended",
        }[self.state]


def arrangement_schedule(
    arrangement: PaymentArrangement, on: date, opened: dict[int, Decimal] | None = None
) -> list[InstallmentLine]:
    """The installments with what is still open of each on ``on`` (``opened``:
    the account's ``open_by_entry``, when the caller has it)."""
    installments = list(arrangement.installments.all())
    keys = {entry_key(arrangement.pk, row.number): row.number for row in installments}
    entries = {
        keys[key]: (pk, effective_on, reversed_by)
        for key, pk, effective_on, reversed_by in JournalEntry.objects.filter(
            source_key__in=keys
        ).values_list("source_key", "pk", "effective_on", "reversed_by")
    }
    if opened is None:
        opened = open_by_entry([arrangement.account_id]).get(arrangement.account_id, {})
    lines = []
    for row in installments:
        entry_id, billed_on, reversed_by = entries.get(row.number, (None, None, None))
        open_amount = opened.get(entry_id, ZERO)
        if reversed_by is not None:
            state = "brought_forward"
        elif open_amount == ZERO:
            state = "paid"
        elif billed_on and billed_on > on:
            state = "not_billed"
        elif row.due_on < on:
            state = "past_due"
        else:
            state = "open"
        label = "Down payment" if row.number == 0 else f"Installment {row.number}"
        lines.append(
            InstallmentLine(
                row.number, label, billed_on, row.due_on, row.amount, open_amount, state
            )
        )
    return lines


def arranged_not_billed(account_id: int, on: date) -> Decimal:
    """The part of the account's active arrangement that no bill has shown
    yet (the account owes it; it is not in the balance of ``on``)."""
    keys = [
        entry_key(pk, number)
        for pk, number in ArrangementInstallment.objects.filter(
            arrangement__account_id=account_id,
            arrangement__status=Status.ACTIVE,
            number__gt=0,
        ).values_list("arrangement_id", "number")
    ]
    entries = JournalEntry.objects.filter(
        source_key__in=keys, effective_on__gt=on, reversed_by__isnull=True
    )
    legs = JournalLeg.objects.filter(entry__in=entries, account_id=account_id)
    return sum((leg.amount for leg in legs), ZERO)


# --- The daily review, breaking and cancelling ------------------------------------


def arrangements_review(*, on: date) -> dict:
    """Mark active arrangements broken (an installment still unpaid after its
    due date) or kept (every installment paid). Safe to run twice: only
    active arrangements are looked at, and each changes once."""
    active = list(
        PaymentArrangement.objects.filter(status=Status.ACTIVE).values_list("pk", "account_id")
    )
    report = {"on": on.isoformat(), "examined": len(active), "kept": [], "broken": []}
    if not active:
        return report
    opened = open_by_entry({account_id for _, account_id in active})
    installments = defaultdict(list)
    for row in ArrangementInstallment.objects.filter(arrangement_id__in=[pk for pk, _ in active]):
        installments[row.arrangement_id].append(row)
    keys = {
        entry_key(pk, row.number): (pk, row.number)
        for pk, rows in installments.items()
        for row in rows
    }
    entry_ids = {
        keys[key]: pk
        for key, pk in JournalEntry.objects.filter(source_key__in=keys).values_list(
            "source_key", "pk"
        )
    }
    by = None
    for pk, account_id in active:
        still_open = opened.get(account_id, {})
        rows = installments[pk]
        unpaid = [
            row for row in rows if still_open.get(entry_ids.get((pk, row.number)), ZERO) > ZERO
        ]
        missed = [row.number for row in unpaid if row.due_on < on]
        if missed:
            status, why = Status.BROKEN, f"installment {min(missed)} unpaid after its due date"
        elif not unpaid:
            status, why = Status.KEPT, "every installment paid"
        else:
            continue
        by = by or system_user()
        if _end(pk, status, on, by, why):
            report[status].append(pk)
    return report


@transaction.atomic
def _end(pk: int, status: str, on: date, by, why: str) -> bool:
    """End an active arrangement (False when it already ended): what is not
    yet billed falls due on ``on`` unless it was kept, and the hold goes, so
    the collection ladder sees the account's past due again."""
    arrangement = PaymentArrangement.objects.select_for_update().get(pk=pk)
    if arrangement.status != Status.ACTIVE:
        return False
    arrangement.status, arrangement.ended_on = status, on
    arrangement.save(update_fields=["status", "ended_on"])
    if status != Status.KEPT:
        _bring_forward(arrangement, on, by, why)
    hold_release(source_key=hold_key(pk), on=on)
    return True


def _bring_forward(arrangement: PaymentArrangement, on: date, by, why: str) -> None:
    """Installments dated after ``on`` are reversed (on their own dates, so
    no day's balance dips) and their sum is charged due on ``on``."""
    keys = [entry_key(arrangement.pk, n) for n in range(1, arrangement.months + 1)]
    later = JournalEntry.objects.filter(
        source_key__in=keys, effective_on__gt=on, reversed_by__isnull=True
    ).order_by("effective_on")
    total = ZERO
    for entry in later:
        total += sum(
            (leg.amount for leg in entry.legs.all() if leg.account_id == arrangement.account_id),
            ZERO,
        )
        entry_reverse(
            entry=entry,
            reason=f"arrangement {arrangement.get_status_display().lower()}",
            effective_on=entry.effective_on,
            created_by=by,
        )
    if total > ZERO:
        receivable = GLChart().get(GLAccount.Purpose.RECEIVABLE)
        entry_post(
            kind=Kind.ARRANGEMENT,
            effective_on=on,
            due_on=on,
            account=arrangement.account,
            created_by=by,
            description=f"Arrangement #{arrangement.pk} "
            f"{arrangement.get_status_display().lower()} ({why}): {money_text(total)} not yet billed is due",
            legs=[Leg(receivable, total, arrangement.account_id), Leg(receivable, -total)],
            source_key=f"arrangement:{arrangement.pk}:due",
        )


@transaction.atomic
def arrangement_cancel(
    *, arrangement: PaymentArrangement, reason: str, by, on: date
) -> PaymentArrangement:
    """A supervisor ends an active arrangement: what is not yet billed falls
    due on ``on`` and the hold is released."""
    if not is_supervisor(by):
        raise ValidationError("Only a supervisor can cancel a payment arrangement.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the arrangement is cancelled."})
    reject_card_numbers(reason=reason)
    if not _end(arrangement.pk, Status.CANCELLED, on, by, reason.strip()[:120]):
        raise ValidationError("Only an active arrangement can be cancelled.")
    arrangement.refresh_from_db()
    # The arrangement has no field for it: the reason stays on the account.
    account_note_add(
        account=arrangement.account,
        created_by=by,
        text=f"Payment arrangement #{arrangement.pk} cancelled: {reason.strip()}",
    )
    return arrangement

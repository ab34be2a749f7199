"""Bankruptcy (11 USC 362 and 366; docs/policies.md, "Bankruptcy"). The petition stays
collection of what was owed before it: that balance is moved off the
customer receivable onto the pre-petition receivable, where no late fee,
notice, ladder step or deposit setoff can reach it, and kept for the claim.
Service after the petition is billed and collected as usual; the City asks
for an adequate-assurance deposit and holds the ladder until it is due."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Account, AccountFlag, GLAccount, JournalEntry
from accounts.selectors import account_balance, receivable_open_items
from accounts.services import (
    GLChart,
    Leg,
    account_flag_end,
    account_flag_set,
    credit_legs,
    entry_post,
    entry_reverse,
)
from accounts.services.deposits import deposit_bill
from billing.models import Bill
from credit.models import AgencyReferral, Bankruptcy, Hold
from credit.services.agency import agency_recall
from credit.services.holds import hold_place, hold_release
from mesa_cs.lib.dates import refuse_future
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import ZERO, to_money
from staffing.models import Section
from staffing.services import work_item_close_for_source, work_item_open

BANKRUPTCY_CLAIM = "bankruptcy_claim"


def _key(case: Bankruptcy) -> str:
    return f"bankruptcy:{case.pk}"


def assurance_due(chapter: int, billed_on: date) -> date:
    """The adequate-assurance deadline: 20 days (Chapter 7 and 13) or 30 days
    (Chapter 11) from the day the deposit is asked for."""
    days = (
        settings.BANKRUPTCY_ASSURANCE_DAYS_CHAPTER_11
        if chapter == Bankruptcy.Chapter.ELEVEN
        else settings.BANKRUPTCY_ASSURANCE_DAYS
    )
    return billed_on + timedelta(days=days)


def assurance_amount(account_id: int, on: date) -> Decimal:
    """The multiple (2) of the average monthly bill over the account's last
    12 issued bills; nothing for an account never billed."""
    charges = list(
        Bill.objects.filter(account_id=account_id, status=Bill.Status.ISSUED, bill_on__lte=on)
        .order_by("-bill_on", "-pk")
        .values_list("current_charges", flat=True)[: settings.BANKRUPTCY_ASSURANCE_BILLS]
    )
    if not charges:
        return ZERO
    return to_money(sum(charges, ZERO) * settings.BANKRUPTCY_ASSURANCE_MULTIPLE / len(charges))


@transaction.atomic
def bankruptcy_record(
    *,
    account: Account,
    case_number: str,
    chapter: int,
    court: str,
    petition_on: date,
    recorded_by,
    on: date | None = None,
) -> Bankruptcy:
    """Record a petition (``on``: the day the City learns of it, default
    today): freeze the balance owed at the petition date for the claim, hold
    the ladder until the adequate-assurance deposit is due, bill that deposit,
    flag the account and recall any agency referral."""
    on = on or timezone.localdate()
    refuse_future("petition_on", petition_on, "Petition date")
    refuse_future("on", on, "Recorded on")
    case_number, court = case_number.strip(), court.strip()
    reject_card_numbers(case_number=case_number, court=court)
    if not case_number:
        raise ValidationError({"case_number": "Enter the court's case number."})
    if chapter not in Bankruptcy.Chapter.values:
        raise ValidationError({"chapter": "Choose Chapter 7, 11 or 13."})
    if petition_on > on:
        raise ValidationError({"petition_on": "The petition date cannot be in the future."})
    account = Account.objects.select_for_update().get(pk=account.pk)
    open_case = account.bankruptcies.filter(status=Bankruptcy.Status.OPEN).first()
    if open_case is not None:
        raise ValidationError(
            f"Account {account.number} already has an open bankruptcy ({open_case}, petition "
            f"{open_case.petition_on:%m/%d/%Y}); discharge or dismiss it before recording another."
        )
    frozen = max(account_balance(account.pk, as_of=petition_on), ZERO)
    try:
        with transaction.atomic():
            case = Bankruptcy.objects.create(
                account=account,
                case_number=case_number,
                chapter=chapter,
                court=court or Bankruptcy._meta.get_field("court").default,
                petition_on=petition_on,
                pre_petition_balance=frozen,
                recorded_by=recorded_by,
            )
    except IntegrityError as exc:
        raise ValidationError(f"Account {account.number} already has an open bankruptcy.") from exc
    if frozen > ZERO:
        chart = GLChart()
        entry_post(
            kind=JournalEntry.Kind.PREPETITION,
            effective_on=petition_on,
            description=f"Owed at the petition date, held for the claim: {case}",
            legs=[
                Leg(chart.get(GLAccount.Purpose.PREPETITION), frozen, account.pk),
                *credit_legs(
                    account, frozen, chart, receivable_open_items(account.pk, as_of=petition_on)
                ),
            ],
            account=account,
            created_by=recorded_by,
            source_key=f"{_key(case)}:freeze",
        )
        work_item_open(
            kind=BANKRUPTCY_CLAIM,
            section=Section.CREDIT,
            title=f"File a proof of claim for {money_text(frozen)} ({case})",
            account=account,
            details=f"{case.court}; petition {petition_on:%m/%d/%Y}.",
            opened_by=recorded_by,
            source_key=_key(case),
        )
    due_on = assurance_due(chapter, on)
    hold_place(
        account=account,
        kind=Hold.Kind.BANKRUPTCY,
        reason=f"{case}: adequate assurance due by {due_on:%m/%d/%Y}",
        owner=recorded_by,
        starts_on=petition_on,
        ends_on=due_on,
        source_key=_key(case),
    )
    amount = assurance_amount(account.pk, on)
    if amount > ZERO:
        deposit_bill(
            account=account,
            amount=amount,
            reason=f"Adequate assurance of payment (11 USC 366), {case}; due by {due_on:%m/%d/%Y}",
            on=on,
            created_by=recorded_by,
            due_on=due_on,
        )
    account_flag_set(
        account=account,
        kind=AccountFlag.Kind.BANKRUPTCY,
        starts_on=petition_on,
        reason=str(case)[:200],
        set_by=recorded_by,
    )
    # The stay reaches the agency too: what it was given is pre-petition debt.
    for referral in AgencyReferral.objects.filter(account=account, recalled_on__isnull=True):
        agency_recall(referral=referral, on=on, by=recorded_by)
    return case


def _open_case(bankruptcy: Bankruptcy, on: date) -> Bankruptcy:
    case = (
        Bankruptcy.objects.select_for_update(of=("self",))
        .select_related("account")
        .get(pk=bankruptcy.pk)
    )
    if case.status != Bankruptcy.Status.OPEN:
        raise ValidationError(f"{case} is already {case.get_status_display().lower()}.")
    if on < case.petition_on:
        raise ValidationError({"on": "A case cannot close before its petition date."})
    return case


def _close(case: Bankruptcy, *, status: str, on: date, by) -> Bankruptcy:
    refuse_future("on", on, "Date of the court's order")
    case.status, case.closed_on = status, on
    case.save(update_fields=["status", "closed_on"])
    hold_release(source_key=_key(case), on=on)
    account_flag_end(account=case.account, kind=AccountFlag.Kind.BANKRUPTCY, on=on)
    work_item_close_for_source(
        kind=BANKRUPTCY_CLAIM,
        source_key=_key(case),
        closed_by=by,
        outcome=f"Case {case.get_status_display().lower()} {on:%m/%d/%Y}",
    )
    return case


@transaction.atomic
def bankruptcy_discharge(*, bankruptcy: Bankruptcy, on: date, by) -> Bankruptcy:
    """The court discharged the debt: the frozen pre-petition balance can no
    longer be collected and is written off to bad debt."""
    case = _open_case(bankruptcy, on)
    if case.pre_petition_balance > ZERO:
        chart = GLChart()
        entry_post(
            kind=JournalEntry.Kind.WRITE_OFF,
            effective_on=on,
            description=f"Discharged in bankruptcy: {case}",
            legs=[
                Leg(
                    chart.get(GLAccount.Purpose.BAD_DEBT),
                    case.pre_petition_balance,
                    case.account_id,
                ),
                Leg(
                    chart.get(GLAccount.Purpose.PREPETITION),
                    -case.pre_petition_balance,
                    case.account_id,
                ),
            ],
            account=case.account,
            created_by=by,
            source_key=f"{_key(case)}:discharge",
        )
    return _close(case, status=Bankruptcy.Status.DISCHARGED, on=on, by=by)


@transaction.atomic
def bankruptcy_dismiss(*, bankruptcy: Bankruptcy, on: date, by) -> Bankruptcy:
    """The case was dismissed: the stay ends and the pre-petition balance is
    owed again. Reversing the freeze puts each charge back at its own age, so
    the ladder takes it up where it was."""
    case = _open_case(bankruptcy, on)
    freeze = JournalEntry.objects.filter(source_key=f"{_key(case)}:freeze").first()
    if freeze is not None:
        entry_reverse(entry=freeze, reason=f"{case} dismissed", effective_on=on, created_by=by)
    return _close(case, status=Bankruptcy.Status.DISMISSED, on=on, by=by)

"""Posting to the ledger. The database enforces the invariants (balanced
entries, immutable rows); these services build correct entries, choose the
GL accounts, and apply credits oldest charge first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from accounts.models import Account, GLAccount, JournalEntry, JournalLeg
from accounts.selectors.ledger import receivable_open_items, receivable_open_items_many
from mesa_cs.lib.copy import copy_rows
from mesa_cs.lib.money import ZERO, to_money

Purpose = GLAccount.Purpose
Kind = JournalEntry.Kind


class LedgerError(ValueError):
    """An entry that cannot be posted; the message says why."""


@dataclass(frozen=True)
class Leg:
    gl: GLAccount
    amount: Decimal
    account_id: int | None = None
    service_agreement_id: int | None = None


@dataclass(frozen=True)
class Charge:
    """One priced line for an account: what it is for and how much."""

    amount: Decimal
    utility: str = ""
    rate_schedule: str = ""
    service_agreement_id: int | None = None
    revenue_purpose: str = Purpose.REVENUE  # or FEES, ALARM_FEES, TAX


class GLChart:
    """The active GL accounts, looked up by purpose, utility and schedule."""

    def __init__(self):
        self._by_key = {
            (gl.purpose, gl.utility, gl.rate_schedule): gl
            for gl in GLAccount.objects.filter(active=True)
        }

    def get(self, purpose: str, utility: str = "", rate_schedule: str = "") -> GLAccount:
        for key in ((purpose, utility, rate_schedule), (purpose, utility, ""), (purpose, "", "")):
            if key in self._by_key:
                return self._by_key[key]
        raise LedgerError(f"no active GL account for {purpose} {utility} {rate_schedule}".strip())


def legs_balanced(legs: Iterable[Leg], what: str = "an entry") -> list[Leg]:
    """The legs rounded to cents without zero legs; refused unless two or
    more of them sum to zero. The one Python form of the rule the database
    enforces at commit (migration 0026's ``ledger_check_entries_balanced``):
    every posting service checks here first, so a bad entry fails with a
    message instead of at commit."""
    legs = [
        Leg(leg.gl, to_money(leg.amount), leg.account_id, leg.service_agreement_id) for leg in legs
    ]
    legs = [leg for leg in legs if leg.amount != ZERO]
    total = sum((leg.amount for leg in legs), ZERO)
    if len(legs) < 2 or total != ZERO:
        raise LedgerError(f"{what} needs two or more legs summing to zero (got {total})")
    return legs


def _leg_rows(entry: JournalEntry, legs: list[Leg]):
    for leg in legs:
        yield JournalLeg(
            entry=entry,
            gl_account=leg.gl,
            account_id=leg.account_id,
            service_agreement_id=leg.service_agreement_id,
            amount=leg.amount,
        )


def entry_post(
    *,
    kind: str,
    effective_on: date,
    description: str,
    legs: Iterable[Leg],
    account: Account | None = None,
    due_on: date | None = None,
    created_by=None,
    source_key: str | None = None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Post one balanced entry. With ``source_key``, posting the same event
    again returns the entry already posted instead of a second one."""
    legs = legs_balanced(legs)
    if source_key:
        existing = JournalEntry.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            entry = JournalEntry.objects.create(
                kind=kind,
                effective_on=effective_on,
                due_on=due_on,
                description=description[:200],
                account=account,
                created_by=created_by,
                source_key=source_key or None,
                reverses=reverses,
            )
            JournalLeg.objects.bulk_create(_leg_rows(entry, legs))
    except IntegrityError:
        if source_key:
            existing = JournalEntry.objects.filter(source_key=source_key).first()
            if existing is not None:
                return existing
        raise
    return entry


def account_lock(account: Account) -> Account:
    # Applying money reads the open items; two cashiers paying the same account
    # must not both apply to the same charge.
    return Account.objects.select_for_update().get(pk=account.pk)


def charge_legs(chart: GLChart, account_id: int, charges: Iterable[Charge]) -> list[Leg]:
    """Receivable (by utility and service) against revenue, fees or tax; a
    negative charge is a credit. Tax on a utility's charges is owed with that
    utility's receivable."""
    legs = []
    for charge in charges:
        amount = to_money(charge.amount)
        legs.append(
            Leg(
                chart.get(Purpose.RECEIVABLE, charge.utility),
                amount,
                account_id,
                charge.service_agreement_id,
            )
        )
        legs.append(
            Leg(chart.get(charge.revenue_purpose, charge.utility, charge.rate_schedule), -amount)
        )
    return _merge(legs)


@transaction.atomic
def charges_post(
    *,
    account: Account,
    kind: str,
    effective_on: date,
    description: str,
    charges: Iterable[Charge],
    due_on: date | None = None,
    created_by=None,
    source_key: str | None = None,
) -> JournalEntry:
    """Charge the account (see ``charge_legs``)."""
    return entry_post(
        kind=kind,
        effective_on=effective_on,
        due_on=due_on or effective_on,
        description=description,
        legs=charge_legs(GLChart(), account.pk, charges),
        account=account,
        created_by=created_by,
        source_key=source_key,
    )


@dataclass(frozen=True)
class EntrySpec:
    kind: str
    effective_on: date
    description: str
    legs: list[Leg]
    account_id: int | None = None
    due_on: date | None = None
    source_key: str | None = None


ENTRY_COLUMNS = (
    "kind", "effective_on", "due_on", "description", "account_id", "source_key", "created_by_id"
)  # fmt: skip


@transaction.atomic
def entries_post_many(specs: list[EntrySpec], *, created_by=None) -> list[int]:
    """Post many balanced entries in a few statements (bill runs, imports)
    and return their ids, in order. Each is checked here and again by the
    database at commit; a source key already posted makes the whole batch
    fail with IntegrityError."""
    by = getattr(created_by, "pk", None)
    entries, all_legs = [], []
    for spec in specs:
        all_legs.append(legs_balanced(spec.legs, f"the entry for account {spec.account_id}"))
        entries.append(
            (
                spec.kind, spec.effective_on, spec.due_on, spec.description[:200],
                spec.account_id, spec.source_key, by,
            )
        )  # fmt: skip
    # COPY of rows, not instances: at a bill run's or an import's size,
    # building instances and Django's INSERT cost more than the database
    # (bench/README.md); every trigger and constraint still judges each row.
    ids = copy_rows(JournalEntry, ENTRY_COLUMNS, entries)
    copy_rows(
        JournalLeg,
        ("entry_id", "gl_account_id", "account_id", "service_agreement_id", "amount"),
        (
            (entry_id, leg.gl.pk, leg.account_id, leg.service_agreement_id, leg.amount)
            for entry_id, legs in zip(ids, all_legs, strict=True)
            for leg in legs
        ),
        ids=False,
    )
    return ids


def _merge(legs: list[Leg]) -> list[Leg]:
    """One leg per GL account, customer account and service agreement."""
    # Keyed by the GL account's pk: hashing the model instance costs more,
    # and a bill run merges a few legs for every bill.
    merged: dict[tuple, Decimal] = {}
    gls = {}
    for leg in legs:
        key = (leg.gl.pk, leg.account_id, leg.service_agreement_id)
        gls[leg.gl.pk] = leg.gl
        merged[key] = merged.get(key, ZERO) + leg.amount
    return [Leg(gls[gl_id], amount, acc, sa) for (gl_id, acc, sa), amount in merged.items()]


def credit_legs(account: Account, amount: Decimal, chart: GLChart, open_items=None) -> list[Leg]:
    """Credit ``amount`` to the account's open charges, oldest first; anything
    left over becomes a credit balance on the general receivable. With
    ``open_items`` (a list it consumes), several credits to one account can
    be built in a row without reading the ledger between them, or credited
    to the charges open on another day (a bankruptcy's petition date).

    The ledger's one allocation rule: payments, transfers, deposits applied,
    arrangements, write-offs, bankruptcy and the demo city all credit
    through it."""
    items = receivable_open_items(account.pk) if open_items is None else open_items
    legs, remaining = [], amount
    while remaining > ZERO and items:
        item = items[0]
        applied = min(item.open_amount, remaining)
        legs.append(Leg(item.gl_account, -applied, account.pk, item.service_agreement_id))
        remaining -= applied
        if applied == item.open_amount:
            items.pop(0)
        else:
            items[0] = replace(item, open_amount=item.open_amount - applied)
    if remaining > ZERO:
        legs.append(Leg(chart.get(Purpose.RECEIVABLE), -remaining, account.pk))
    return _merge(legs)


@dataclass(frozen=True)
class PaymentSpec:
    account: Account
    amount: Decimal
    effective_on: date
    description: str
    source_key: str


@transaction.atomic
def payments_post_many(
    specs: list[PaymentSpec], *, debit_gl: GLAccount | None = None, created_by=None
) -> list[int]:
    """Post many payments (a payment file) in a few statements, each applied
    oldest charge first exactly as ``payment_post`` would, in order; the
    entries' ids."""
    if not specs:
        return []
    ids = sorted({spec.account.pk for spec in specs})
    list(Account.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    chart = GLChart()
    debit = debit_gl or chart.get(Purpose.CASH)
    open_items = receivable_open_items_many(ids)
    entries = []
    for spec in specs:
        amount = to_money(spec.amount)
        if amount <= ZERO:
            raise LedgerError("a payment must be a positive amount")
        legs = [
            Leg(debit, amount),
            *credit_legs(spec.account, amount, chart, open_items.setdefault(spec.account.pk, [])),
        ]
        entries.append(
            EntrySpec(
                kind=Kind.PAYMENT,
                effective_on=spec.effective_on,
                description=spec.description,
                legs=legs,
                account_id=spec.account.pk,
                source_key=spec.source_key,
            )
        )
    return entries_post_many(entries, created_by=created_by)


@transaction.atomic
def payment_post(
    *,
    account: Account,
    amount: Decimal,
    effective_on: date,
    description: str = "Payment",
    debit_gl: GLAccount | None = None,
    created_by=None,
    source_key: str | None = None,
) -> JournalEntry:
    """Money received for an account: cash (or ``debit_gl``) against the
    account's receivables, applied to the oldest charges first."""
    amount = to_money(amount)
    if amount <= ZERO:
        raise LedgerError("a payment must be a positive amount")
    if source_key:
        existing = JournalEntry.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing
    account = account_lock(account)
    chart = GLChart()
    legs = [Leg(debit_gl or chart.get(Purpose.CASH), amount)]
    legs += credit_legs(account, amount, chart)
    return entry_post(
        kind=Kind.PAYMENT,
        effective_on=effective_on,
        description=description,
        legs=legs,
        account=account,
        created_by=created_by,
        source_key=source_key,
    )


@transaction.atomic
def transfer_post(
    *,
    from_account: Account,
    to_account: Account,
    amount: Decimal,
    effective_on: date,
    reason: str,
    created_by=None,
    source_key: str | None = None,
) -> JournalEntry:
    """Move a credit (e.g. a misapplied payment) from one account to another;
    both accounts show the same entry in their history."""
    amount = to_money(amount)
    if amount <= ZERO:
        raise LedgerError("a transfer must be a positive amount")
    if from_account.pk == to_account.pk:
        raise LedgerError("a transfer needs two different accounts")
    # Lock both in a fixed order so two opposite transfers cannot deadlock.
    first, second = sorted([from_account, to_account], key=lambda a: a.pk)
    account_lock(first), account_lock(second)
    chart = GLChart()
    legs = [Leg(chart.get(Purpose.RECEIVABLE), amount, from_account.pk)]
    legs += credit_legs(to_account, amount, chart)
    return entry_post(
        kind=Kind.TRANSFER,
        effective_on=effective_on,
        description=f"Transfer {from_account.number} → {to_account.number}: {reason}",
        legs=legs,
        account=from_account,
        created_by=created_by,
        source_key=source_key,
    )


@transaction.atomic
def entry_reverse(
    *, entry: JournalEntry, reason: str, effective_on: date, created_by=None
) -> JournalEntry:
    """Correct a posted entry by posting its exact opposite. An entry can be
    reversed once (a unique constraint), and a reversal is not reversed.
    A reversal is dated on or after the entry: one dated before it would
    credit the balance on days the open items (which leave the pair out)
    still owe, so a balance and its aging would disagree."""
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.kind == Kind.REVERSAL:
        raise LedgerError("a reversal cannot itself be reversed; post a new entry instead")
    if effective_on < entry.effective_on:
        raise LedgerError(
            f"a reversal is dated on or after the entry it reverses ({entry.effective_on:%m/%d/%Y})"
        )
    if JournalEntry.objects.filter(reverses=entry).exists():
        raise LedgerError(f"entry #{entry.pk} is already reversed")
    legs = [
        Leg(leg.gl_account, -leg.amount, leg.account_id, leg.service_agreement_id)
        for leg in entry.legs.select_related("gl_account")
    ]
    return entry_post(
        kind=Kind.REVERSAL,
        effective_on=effective_on,
        due_on=effective_on,
        description=f"Reversal of #{entry.pk} {entry.description}: {reason}"[:200],
        legs=legs,
        account=entry.account,
        created_by=created_by,
        reverses=entry,
    )

"""Appeals of false-alarm invoices: filed within 10 business days, heard
within 30 days, the fee stayed while open, and a decision (upheld, reduced
or waived) whose credit is a new ledger entry. The no-permit assessment is
never waived (docs/alarms.md, "Appeals")."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import GLAccount, JournalEntry
from accounts.services.ledger import Charge, charges_post
from alarms.models import AlarmInvoice, Appeal, Assessment
from alarms.rules import fees
from alarms.services.letters import alarm_letter
from mesa_cs.lib.dates import refuse_future
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import ZERO, to_money
from staffing.models import Section
from staffing.services import work_item_close_for_source, work_item_open

APPEAL_KIND = "alarm_appeal"
OUTCOME_ES = {"upheld": "Confirmada", "reduced": "Reducida", "waived": "Anulada"}


def _fees(invoice: AlarmInvoice) -> tuple[Decimal, Decimal]:
    """The invoice's false-alarm fee and its no-permit assessment."""
    amounts = {a.fee_type: a.amount for a in invoice.assessments.all()}
    return (
        amounts.get(Assessment.FeeType.FALSE_ALARM, ZERO),
        amounts.get(Assessment.FeeType.NO_PERMIT, ZERO),
    )


@transaction.atomic
def appeal_file(*, invoice: AlarmInvoice, filed_on: date, grounds: str, by=None) -> Appeal:
    """File an appeal of a false-alarm invoice, by its deadline."""
    reject_card_numbers(grounds=grounds)
    refuse_future("filed_on", filed_on, "File an appeal on")
    invoice = (
        # of=self: the permit is a nullable join, which FOR UPDATE cannot lock.
        AlarmInvoice.objects.select_for_update(of=("self",))
        .select_related("permit", "account")
        .get(pk=invoice.pk)
    )
    if invoice.kind != AlarmInvoice.Kind.FALSE_ALARM:
        raise ValidationError("Only a false-alarm invoice can be appealed.")
    if not grounds.strip():
        raise ValidationError({"grounds": "Say why the holder appeals."})
    if filed_on < invoice.issued_on:
        raise ValidationError({"filed_on": "An appeal is filed on or after the invoice date."})
    deadline = fees.appeal_deadline(invoice.issued_on)
    if filed_on > deadline:
        raise ValidationError(
            {
                "filed_on": f"The last day to appeal invoice {invoice.number} was "
                f"{deadline:%m/%d/%Y} (10 business days after it)."
            }
        )
    if invoice.appeals.exists():
        raise ValidationError(f"Invoice {invoice.number} has already been appealed.")
    appeal = Appeal.objects.create(
        invoice=invoice,
        filed_on=filed_on,
        grounds=grounds.strip(),
        hearing_by=fees.hearing_by(filed_on),
        filed_by=by,
    )
    work_item_open(
        kind=APPEAL_KIND,
        section=Section.ACCOUNT_MAINTENANCE,
        title=f"Appeal of alarm invoice {invoice.number}: hear by {appeal.hearing_by:%m/%d/%Y}",
        account=invoice.account,
        details=grounds.strip()[:1000],
        due_on=appeal.hearing_by,
        opened_by=by,
        source_key=str(appeal.pk),
    )
    alarm_letter(
        account=invoice.account,
        kind="alarm_appeal_received",
        merge={
            "permit_number": _permit_number(invoice),
            "invoice_number": invoice.number,
            "filed_on": filed_on,
            "hearing_by": appeal.hearing_by,
        },
        source_key=f"alarm-appeal-received:{appeal.pk}",
        by=by,
    )
    return appeal


def _permit_number(invoice: AlarmInvoice):
    if invoice.permit_id:
        return invoice.permit.number
    return {"en": "none on file", "es": "ninguno registrado"}


@transaction.atomic
def appeal_schedule(
    *, appeal: Appeal, hearing_on: date, hearing_time: time, place: str = "", by=None
) -> Appeal:
    """Set (or move) the hearing, no later than 30 days after filing."""
    reject_card_numbers(place=place)
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("invoice__permit")
        .get(pk=appeal.pk)
    )
    if not appeal.open:
        raise ValidationError("This appeal has been decided.")
    if hearing_on < appeal.filed_on or hearing_on > appeal.hearing_by:
        raise ValidationError(
            {
                "hearing_on": f"The hearing is held between {appeal.filed_on:%m/%d/%Y} and "
                f"{appeal.hearing_by:%m/%d/%Y} (within 30 days of filing)."
            }
        )
    appeal.hearing_on, appeal.hearing_time = hearing_on, hearing_time
    appeal.hearing_place = (place or settings.ALARM_HEARING_PLACE).strip()[:120]
    appeal.status = Appeal.Status.SCHEDULED
    appeal.save(update_fields=["hearing_on", "hearing_time", "hearing_place", "status"])
    alarm_letter(
        account=appeal.invoice.account,
        kind="alarm_hearing_scheduled",
        merge={
            "permit_number": _permit_number(appeal.invoice),
            "invoice_number": appeal.invoice.number,
            "hearing_on": hearing_on,
            "hearing_time": hearing_time.strftime("%I:%M %p").lstrip("0"),
            "hearing_place": appeal.hearing_place,
        },
        source_key=f"alarm-hearing:{appeal.pk}:{hearing_on}:{hearing_time}",
        by=by,
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    appeal: Appeal,
    outcome: str,
    reason: str,
    on: date,
    by,
    amount_upheld: Decimal | None = None,
) -> Appeal:
    """Record the hearing's decision. Waived: the false-alarm fee is
    credited; reduced: the invoice stands at ``amount_upheld``; neither may
    touch the no-permit assessment."""
    reject_card_numbers(reason=reason)
    refuse_future("decided_on", on, "Decide on")
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("invoice__account", "invoice__permit")
        .get(pk=appeal.pk)
    )
    if not appeal.open:
        raise ValidationError("This appeal has already been decided.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the decision."})
    invoice = appeal.invoice
    false_alarm, no_permit = _fees(invoice)
    if outcome == Appeal.Outcome.UPHELD:
        upheld = invoice.amount
    elif outcome == Appeal.Outcome.WAIVED:
        if false_alarm == ZERO:
            raise ValidationError(
                {"outcome": "The no-permit assessment cannot be waived, and it is all this "
                 "invoice charges."}
            )  # fmt: skip
        upheld = no_permit
    elif outcome == Appeal.Outcome.REDUCED:
        if amount_upheld is None:
            raise ValidationError({"amount_upheld": "Enter the amount that stands."})
        upheld = to_money(amount_upheld)
        if upheld < no_permit:
            raise ValidationError(
                {"amount_upheld": f"The ${no_permit:,.2f} no-permit assessment cannot be waived; "
                 f"the amount that stands is at least ${no_permit:,.2f}."}
            )  # fmt: skip
        if upheld >= invoice.amount:
            raise ValidationError(
                {"amount_upheld": f"A reduction is less than the invoice's ${invoice.amount:,.2f}."}
            )
    else:
        raise ValidationError({"outcome": "Choose upheld, reduced or waived."})
    credit = invoice.amount - upheld
    if credit > ZERO:
        appeal.credit_entry = charges_post(
            account=invoice.account,
            kind=JournalEntry.Kind.ADJUSTMENT,
            effective_on=on,
            description=f"Alarm appeal: invoice {invoice.number} "
            f"{Appeal.Outcome(outcome).label.lower()}",
            charges=[Charge(-credit, revenue_purpose=GLAccount.Purpose.ALARM_FEES)],
            created_by=by,
            source_key=f"alarm-appeal:{appeal.pk}",
        )
        invoice.assessments.filter(fee_type=Assessment.FeeType.FALSE_ALARM).update(
            status=Assessment.Status.WAIVED
            if outcome == Appeal.Outcome.WAIVED
            else Assessment.Status.REDUCED
        )
    appeal.outcome, appeal.amount_upheld = outcome, upheld
    appeal.decision_reason, appeal.decided_on, appeal.decided_by = reason.strip(), on, by
    appeal.status = Appeal.Status.DECIDED
    appeal.save()
    work_item_close_for_source(
        kind=APPEAL_KIND,
        source_key=str(appeal.pk),
        closed_by=by,
        outcome=f"{Appeal.Outcome(outcome).label}: ${upheld:,.2f} stands",
    )
    alarm_letter(
        account=invoice.account,
        kind="alarm_appeal_decision",
        merge={
            "permit_number": _permit_number(invoice),
            "invoice_number": invoice.number,
            "outcome": {"en": Appeal.Outcome(outcome).label, "es": OUTCOME_ES[outcome]},
            "reason": reason.strip(),
            "amount_due": upheld,
        },
        source_key=f"alarm-appeal-decision:{appeal.pk}",
        by=by,
    )
    return appeal

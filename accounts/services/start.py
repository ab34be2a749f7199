"""Establishing service: fees, the deposit rule and the start itself
(docs/policies.md, "Establishing service" and "Deposits")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from accounts.models import (
    Account,
    AccountPerson,
    Deposit,
    FieldActivity,
    GLAccount,
    JournalEntry,
    Person,
    Premise,
    ProgramEnrolment,
    ServiceAgreement,
    ServicePoint,
    Utility,
)
from accounts.services.customers import account_create
from accounts.services.deposits import deposit_bill, deposit_bond_record
from accounts.services.enrolments import enrolment_start
from accounts.services.field import field_activity_order
from accounts.services.ledger import Charge, charges_post
from accounts.services.letters_flow import start_letters
from mesa_cs.lib.formatting import day_text
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import ZERO, to_money


@dataclass(frozen=True)
class ServiceRequest:
    utility: str
    rate_schedule: str
    containers: int | None = None
    service_code: str = ""
    acres: Decimal | None = None


def connection_fees(utilities: list[str], *, same_day: bool) -> list[tuple[str, Decimal]]:
    """(utility, fee) for each utility that needs a turn-on; same-day or
    after-hours work costs the same-day fee instead (house rule)."""
    fees = []
    for utility in utilities:
        if utility in settings.CONNECTION_FEES:
            fees.append(
                (
                    utility,
                    settings.SAME_DAY_CONNECTION_FEE
                    if same_day
                    else settings.CONNECTION_FEES[utility],
                )
            )
    return fees


@dataclass
class CreditHistory:
    months_with_city: int = 0
    write_offs: int = 0
    returned_payments: int = 0
    disconnections: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def good(self) -> bool:
        return not self.reasons


def credit_history(person: Person, on: date) -> CreditHistory:
    """The person's record with the City over the last 12 months."""
    year_ago = on - timedelta(days=365)
    account_ids = list(
        AccountPerson.objects.filter(person=person).values_list("account_id", flat=True)
    )
    history = CreditHistory()
    first = (
        AccountPerson.objects.filter(person=person)
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )
    if first:
        history.months_with_city = (on.year - first.year) * 12 + on.month - first.month
    entries = JournalEntry.objects.filter(account_id__in=account_ids, effective_on__gte=year_ago)
    history.write_offs = entries.filter(kind=JournalEntry.Kind.WRITE_OFF).count()
    history.returned_payments = entries.filter(
        kind=JournalEntry.Kind.REVERSAL, reverses__kind=JournalEntry.Kind.PAYMENT
    ).count()
    history.disconnections = FieldActivity.objects.filter(
        account_id__in=account_ids,
        kind=FieldActivity.Kind.DISCONNECT,
        status=FieldActivity.Status.COMPLETED,
        completed_on__gte=year_ago,
    ).count()
    if history.write_offs:
        history.reasons.append("a written-off balance in the last 12 months")
    if history.returned_payments:
        history.reasons.append("a returned payment in the last 12 months")
    if history.disconnections:
        history.reasons.append("a disconnection for non-payment in the last 12 months")
    if history.months_with_city < 12:
        history.reasons.append("no 12-month payment history with the City")
    return history


def deposit_required(
    *,
    person: Person,
    customer_class: str,
    on: date,
    estimated_highest_month: Decimal | None = None,
    solid_waste_only: bool = False,
) -> tuple[Decimal, list[str]]:
    """The deposit and why. Residential: $50.00 without 12 months of good
    history. Commercial: 2.5 × the estimated highest monthly bill, one month
    for solid waste alone (a utility bond may replace it)."""
    if customer_class == Account.CustomerClass.COMMERCIAL:
        if not estimated_highest_month or estimated_highest_month <= ZERO:
            raise ValidationError(
                {"estimated_highest_month": "Estimate the highest monthly bill (more than $0)."}
            )
        if solid_waste_only:
            return to_money(estimated_highest_month), [
                "commercial solid-waste accounts pay one month's estimated bill"
            ]
        multiple = settings.COMMERCIAL_DEPOSIT_MULTIPLE
        return to_money(estimated_highest_month * multiple), [
            f"commercial accounts pay {multiple} × the estimated highest monthly bill"
        ]
    history = credit_history(person, on)
    if history.good:
        return ZERO, []
    return settings.RESIDENTIAL_DEPOSIT, history.reasons


def _check_free(premise: Premise, services: list[ServiceRequest]) -> None:
    for request in services:
        busy = ServiceAgreement.objects.filter(
            premise=premise, utility=request.utility, status__in=ServiceAgreement.OPEN_STATUSES
        ).first()
        if busy is None:
            continue
        utility = Utility(request.utility).label.lower()
        final_read = (
            busy.field_activities.filter(
                kind=FieldActivity.Kind.FINAL_READ, status=FieldActivity.Status.PENDING
            )
            .order_by("scheduled_on")
            .first()
        )
        if final_read is not None:
            # Stopped already: it ends with the crew's read, not another stop.
            raise ValidationError(
                f"{premise}: {utility} service is being stopped on account "
                f"{busy.account.number} and ends with the final read ordered for "
                f"{day_text(final_read.scheduled_on)}. Start {utility} once that read is "
                "recorded (the field-work list), or leave it out of this start for now."
            )
        raise ValidationError(
            f"{premise} already has {utility} service on account "
            f"{busy.account.number}: stop or transfer it first."
        )


# The account's check constraint allows cycles 1-20 (billing.rules.cycles.CYCLES).
CYCLES = 20


def premise_read_route(premise: Premise) -> str:
    """The premise's read route (its service area). A premise recorded without
    one joins the route most premises of its ZIP code are on."""
    if not premise.service_area:
        route = (
            Premise.objects.filter(zip_code=premise.zip_code)
            .exclude(service_area="")
            .values("service_area")
            .annotate(n=Count("id"))
            .order_by("-n", "service_area")
            .values_list("service_area", flat=True)
            .first()
        )
        if route:
            premise.service_area = route
            premise.save(update_fields=["service_area"])
    return premise.service_area


def premise_bill_cycle(premise: Premise) -> int:
    """The cycle a premise is read in: that of the last account served there
    (the meter stays on its reader's walk); else the one most accounts on its
    read route use; else one fixed by the premise's id, so an address never
    drifts between cycles."""
    served = Account.objects.filter(agreements__premise=premise, bill_cycle__isnull=False)
    cycle = served.order_by("-agreements__starts_on", "-pk").values_list("bill_cycle", flat=True)
    if cycle.first():
        return cycle.first()
    route = premise_read_route(premise)
    if route:
        common = (
            Account.objects.filter(
                agreements__premise__service_area=route,
                agreements__status__in=ServiceAgreement.OPEN_STATUSES,
                bill_cycle__isnull=False,
            )
            .values("bill_cycle")
            .annotate(n=Count("id", distinct=True))
            .order_by("-n", "bill_cycle")
            .values_list("bill_cycle", flat=True)
            .first()
        )
        if common:
            return common
    return premise.pk % CYCLES + 1


def services_open(
    *,
    account: Account,
    premise: Premise,
    services: list[ServiceRequest],
    starts_on: date,
    same_day: bool,
    ordered_by=None,
    fees_label: str = "Connection fees",
    setup_fee: bool = False,
) -> list[ServiceAgreement]:
    """Add services at a premise to an account: metered ones pending with a
    turn-on order, the others active; charge the connection fees."""
    if not services:
        raise ValidationError("Choose at least one service to start.")
    _check_free(premise, services)
    premise_read_route(premise)
    if account.bill_cycle is None:
        # Bill runs select by cycle: an account without one is never billed.
        account.bill_cycle = premise_bill_cycle(premise)
        account.save(update_fields=["bill_cycle"])
    agreements = []
    for request in services:
        point = None
        if request.utility in Utility.metered():
            point = ServicePoint.objects.filter(premise=premise, utility=request.utility).first()
            if point is None:
                raise ValidationError(
                    f"{premise} has no {request.utility} service point (meter) on record."
                )
        agreement = ServiceAgreement.objects.create(
            account=account,
            premise=premise,
            service_point=point,
            utility=request.utility,
            rate_schedule=request.rate_schedule,
            starts_on=starts_on,
            status=ServiceAgreement.Status.PENDING if point else ServiceAgreement.Status.ACTIVE,
            containers=request.containers,
            service_code=request.service_code,
            acres=request.acres,
        )
        agreements.append(agreement)
        if point is not None:
            field_activity_order(
                kind=FieldActivity.Kind.CONNECT,
                account=account,
                premise=premise,
                service_point=point,
                agreement=agreement,
                scheduled_on=starts_on,
                same_day=same_day,
                ordered_by=ordered_by,
                source_key=f"start:{agreement.pk}",
            )
    fees = [Charge(settings.ACCOUNT_SETUP_FEE, revenue_purpose=GLAccount.Purpose.FEES)]
    fees = fees if setup_fee else []
    fees += [
        Charge(fee, utility, revenue_purpose=GLAccount.Purpose.FEES)
        for utility, fee in connection_fees([s.utility for s in services], same_day=same_day)
    ]
    if fees:
        charges_post(
            account=account,
            kind=JournalEntry.Kind.FEE,
            effective_on=starts_on,
            due_on=starts_on + timedelta(days=settings.BILL_DUE_DAYS),  # with the first bill
            description=fees_label,
            charges=fees,
            created_by=ordered_by,
            source_key=f"start-fees:{agreements[0].pk}",
        )
    return agreements


@dataclass
class StartOutcome:
    account: Account
    agreements: list[ServiceAgreement]
    fees: Decimal
    deposit: Deposit | None
    deposit_reasons: list[str]
    enrolments: list[ProgramEnrolment] = field(default_factory=list)


# The service each assistance program discounts (docs/service_orders.md).
PROGRAM_UTILITIES = {
    ProgramEnrolment.Program.SEA: Utility.ELECTRIC,
    ProgramEnrolment.Program.LISR: Utility.WATER,
}


def programs_check(*, programs, customer_class: str, utilities, verified_by: str) -> None:
    """Refuse, naming the field, an enrolment the start cannot carry: the
    programs are residential, each discounts one utility that must be among
    those started, and someone must have verified eligibility."""
    if not programs:
        return
    problems = []
    if customer_class != Account.CustomerClass.RESIDENTIAL:
        problems.append("Assistance programs are for residential customers.")
    for program in programs:
        if program not in PROGRAM_UTILITIES:
            problems.append(f"{program} is not an assistance program.")
        elif PROGRAM_UTILITIES[program] not in utilities:
            needed = Utility(PROGRAM_UTILITIES[program]).label.lower()
            problems.append(
                f"{ProgramEnrolment.Program(program).label} needs {needed} service started."
            )
    errors = {"programs": problems} if problems else {}
    if not verified_by.strip():
        errors["program_verified_by"] = "Say who verified the customer's eligibility."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def service_start(
    *,
    person: Person,
    premise: Premise,
    services: list[ServiceRequest],
    starts_on: date,
    customer_class: str = Account.CustomerClass.RESIDENTIAL,
    same_day: bool = False,
    bill_cycle: int | None = None,
    estimated_highest_month: Decimal | None = None,
    deposit_installments: int = 1,
    bond_reference: str = "",
    bond_expires_on: date | None = None,
    programs: Sequence[str] = (),
    program_verified_by: str = "",
    ordered_by=None,
) -> StartOutcome:
    """Open an account with its services (metered ones pending until turned
    on), charge the set-up and connection fees, ask for any deposit (cash,
    in installments, or a bond instead), enrol it in assistance programs
    and order the turn-ons."""
    reject_card_numbers(bond_reference=bond_reference, program_verified_by=program_verified_by)
    _check_free(premise, services)
    programs_check(
        programs=programs,
        customer_class=customer_class,
        utilities={s.utility for s in services},
        verified_by=program_verified_by,
    )
    account = account_create(
        main_person=person,
        customer_class=customer_class,
        bill_cycle=bill_cycle,
        opened_on=starts_on,
    )
    agreements = services_open(
        account=account,
        premise=premise,
        services=services,
        starts_on=starts_on,
        same_day=same_day,
        ordered_by=ordered_by,
        setup_fee=True,
        fees_label="Account set-up and connection fees",
    )
    fees = settings.ACCOUNT_SETUP_FEE + sum(
        (fee for _, fee in connection_fees([s.utility for s in services], same_day=same_day)),
        ZERO,
    )
    amount, reasons = deposit_required(
        person=person,
        customer_class=customer_class,
        on=starts_on,
        estimated_highest_month=estimated_highest_month,
        solid_waste_only=all(s.utility == Utility.SOLID_WASTE for s in services),
    )
    deposit = None
    if amount and bond_reference.strip():
        deposit = deposit_bond_record(
            account=account,
            amount=amount,
            reason="; ".join(reasons),
            bond_reference=bond_reference,
            bond_expires_on=bond_expires_on,
            on=starts_on,
            created_by=ordered_by,
        )
    elif amount:
        deposit = deposit_bill(
            account=account,
            amount=amount,
            reason="; ".join(reasons),
            on=starts_on,
            installments=deposit_installments,
            created_by=ordered_by,
        )
    enrolments = [
        enrolment_start(
            account=account, program=program, starts_on=starts_on, verified_by=program_verified_by
        )
        for program in programs
    ]
    start_letters(
        account=account, agreements=agreements, fees=fees, deposit=deposit, sent_by=ordered_by
    )
    return StartOutcome(account, agreements, fees, deposit, reasons, enrolments)

"""Demo service orders, made with the real services: starts with and without
deposits (cash, installments, a bond), turn-ons done and pending, a stop
waiting for its final read, a stop final-billed with the deposit applied, and
field work on existing accounts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from accounts.models import (
    Account,
    FieldActivity,
    Meter,
    MeterInstallation,
    ServiceAgreement,
    ServiceArea,
    ServicePoint,
)
from accounts.services import payment_post, person_create, premise_create
from accounts.services.field import field_activity_complete, field_activity_order
from accounts.services.orders import service_stop
from accounts.services.start import ServiceRequest, service_start
from billing.services.final import final_bill_issue

# A new subdivision in Eastmark (85212), so demo starts never collide with the city.
STREET = {"direction": "E", "street_name": "Ray", "street_type": "Rd", "zip_code": "85212"}
PEOPLE = [
    ("Lucia", "Montoya", "4805550142", "lucia.montoya@example.com"),
    ("Darnell", "Brooks", "4805550177", ""),
    ("", "", "4805550190", "ap@saguarobakery.example.com"),
    ("Priya", "Raman", "4805550123", "priya.raman@example.com"),
    ("Tom", "Kessler", "4805550168", ""),
]


def _home(number: int, today: date, utilities=("water",)):
    premise = premise_create(house_number=str(number), service_area=ServiceArea.SOUTHEAST, **STREET)
    for utility in utilities:
        point = ServicePoint.objects.create(premise=premise, utility=utility)
        meter = Meter.objects.create(
            number=f"{utility[0].upper()}D{number:07d}",
            utility=utility,
            size="3/4" if utility == "water" else "",
            dials=5,
            status=Meter.Status.INSTALLED,
        )
        MeterInstallation.objects.create(
            meter=meter,
            service_point=point,
            installed_on=today - timedelta(days=365),  # a builder's meter, set last year
            install_read=0,
        )
    return premise


def _person(index: int):
    first, last, phone, email = PEOPLE[index]
    if not last:
        return person_create(business_name="Saguaro Bakery LLC", phone=phone, email=email)
    return person_create(first_name=first, last_name=last, phone=phone, email=email)


def _turn_on(account: Account, on: date, clerk) -> None:
    for order in FieldActivity.objects.filter(account=account, kind=FieldActivity.Kind.CONNECT):
        field_activity_complete(
            activity_id=order.pk, completed_by=clerk, completed_on=on, register=Decimal(0)
        )


def demo_service_orders(*, clerk, today: date) -> list[Account]:
    """The scenarios above; returns the accounts they opened."""
    if Meter.objects.filter(number="WD0010010").exists():
        return []  # made already
    water, trash = ServiceRequest("water", "W1.1"), ServiceRequest("solid_waste", "SW1.1", 1)
    made = []
    # 1. Walked in today: turn-on pending, $50.00 deposit (no history).
    made.append(
        service_start(
            person=_person(0),
            premise=_home(10010, today),
            services=[water, trash],
            starts_on=today,
            ordered_by=clerk,
        ).account
    )
    # 2. Started yesterday, turned on, deposit in two installments.
    account = service_start(
        person=_person(1),
        premise=_home(10022, today, ("water", "gas")),
        services=[water, trash, ServiceRequest("gas", "G1.1")],
        starts_on=today - timedelta(days=1),
        deposit_installments=2,
        ordered_by=clerk,
    ).account
    _turn_on(account, today - timedelta(days=1), clerk)
    made.append(account)
    # 3. A bakery: commercial, a utility bond instead of 2.5 months' deposit.
    made.append(
        service_start(
            person=_person(2),
            premise=_home(10034, today),
            services=[ServiceRequest("water", "W3.1")],
            starts_on=today,
            customer_class="commercial",
            estimated_highest_month=Decimal("380.00"),
            bond_reference="SB-2026-0417",
            bond_expires_on=today + timedelta(days=365),
            ordered_by=clerk,
        ).account
    )
    # 4. Moving out: stop ordered for Friday, final read pending.
    start = today - timedelta(days=40)
    account = service_start(
        person=_person(3),
        premise=_home(10046, today),
        services=[water, trash],
        starts_on=start,
        ordered_by=clerk,
    ).account
    _turn_on(account, start, clerk)
    payment_post(account=account, amount=Decimal("81.00"), effective_on=start, created_by=clerk)
    service_stop(account=account, stops_on=today + timedelta(days=2), ordered_by=clerk)
    made.append(account)
    # 5. Moved away last week: final read done, final bill with the deposit applied,
    # and the credit left over waits for a supervisor's refund approval.
    start = today - timedelta(days=75)
    account = service_start(
        person=_person(4),
        premise=_home(10058, today),
        services=[water, trash],
        starts_on=start,
        ordered_by=clerk,
    ).account
    _turn_on(account, start, clerk)
    payment_post(account=account, amount=Decimal("121.00"), effective_on=start, created_by=clerk)
    service_stop(account=account, stops_on=today - timedelta(days=7), ordered_by=clerk)
    final_read = FieldActivity.objects.get(account=account, kind=FieldActivity.Kind.FINAL_READ)
    field_activity_complete(
        activity_id=final_read.pk,
        completed_by=clerk,
        completed_on=today - timedelta(days=7),
        register=Decimal(9),
    )
    final_bill_issue(account_id=account.pk, by=clerk, on=today - timedelta(days=6))
    made.append(account)
    # 6. Field work on the new accounts: a meter test and a high-bill visit.
    sa = ServiceAgreement.objects.filter(account=made[1], utility="water").first()
    for kind in (FieldActivity.Kind.METER_TEST, FieldActivity.Kind.HIGH_BILL):
        field_activity_order(
            kind=kind,
            account=made[1],
            premise=sa.premise,
            service_point=sa.service_point,
            agreement=sa,
            scheduled_on=today + timedelta(days=1),
            ordered_by=clerk,
            notes="Customer reports a running meter with all fixtures off",
        )
    return made

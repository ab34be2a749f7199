"""Permits: applications at the counter or by phone, the permit fee, and
the holder's alarm account on the shared accounts model."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from accounts.models import Account, Premise
from accounts.rules.letter_texts import alarm_functions_wording
from accounts.services.customers import account_create, person_create
from accounts.validators import normalize_phone
from alarms.models import AlarmCompany, AlarmInvoice, AlarmPermit, Responder
from alarms.rules import fees
from alarms.services.invoices import InvoiceSpec, invoice_post
from alarms.services.letters import alarm_letter_send
from mesa_cs.lib.address import normalize_address
from mesa_cs.lib.dates import refuse_future, today
from mesa_cs.lib.luhn import reject_card_numbers


class PermitError(ValidationError):
    """A permit that cannot be made or changed; the message says why."""


def permit_numbers_next(count: int) -> list[str]:
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval('alarms_permit_number_seq') FROM generate_series(1, %s)", [count]
        )
        return [f"AP-{value:06d}" for (value,) in cursor.fetchall()]


def premise_for(address_key: str) -> int | None:
    """The utility premise at the same address, if exactly one."""
    ids = list(Premise.objects.filter(address_key=address_key).values_list("pk", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


def fee_description(permit: AlarmPermit, kind: str, term_ends_on: date) -> str:
    what = "Alarm permit" if kind == AlarmInvoice.Kind.PERMIT else "Alarm permit renewal"
    return f"{what} {permit.number} ({permit.functions_label}) through {term_ends_on:%m/%d/%Y}"


def permit_fee_spec(
    permit: AlarmPermit, *, kind: str, issued_on: date, term_ends_on: date, file_id=None
):
    return InvoiceSpec(
        kind=kind,
        account_id=permit.account_id,
        permit_id=permit.pk,
        issued_on=issued_on,
        amount=fees.permit_fee(permit.functions),
        description=fee_description(permit, kind, term_ends_on),
        # One fee per permit and term, whether a permit, a renewal notice or
        # a company's registration asks for it.
        source_key=f"permit-fee:{permit.number}:{term_ends_on.isoformat()}",
        term_ends_on=term_ends_on,
        file_id=file_id,
    )


@dataclass
class Application:
    """What the clerk takes down at the counter or on the phone."""

    holder_name: str
    customer_class: str
    address: str
    zip_code: str
    functions: list[str]
    issued_on: date
    phone: str = ""
    email: str = ""
    business: bool = False
    preferred_language: str = "en"
    alarm_company: AlarmCompany | None = None
    account: Account | None = None  # an existing alarm account of the holder
    responders: list[tuple[str, str]] = field(default_factory=list)


def holder_person_fields(name: str, business: bool) -> dict:
    """A holder's name as the accounts model keeps it: a business name, or
    first and last name (the last word is the surname)."""
    name = " ".join(name.split())
    first, _, last = name.rpartition(" ")
    if business or not first:
        return {"business_name": name}
    return {"first_name": first, "last_name": last}


def check_functions(functions, customer_class: str) -> list[str]:
    """Panic alarms are for residences and robbery alarms for businesses."""
    chosen = [name for name in fees.FUNCTIONS if name in set(functions)]
    try:
        fees.permit_fee(chosen)
    except ValueError as exc:
        raise PermitError({"functions": str(exc)}) from None
    if customer_class == Account.CustomerClass.RESIDENTIAL and "robbery" in chosen:
        raise PermitError({"functions": "A robbery alarm is for a business premise."})
    if customer_class == Account.CustomerClass.COMMERCIAL and "panic" in chosen:
        raise PermitError({"functions": "A panic alarm is for a residence."})
    return chosen


@transaction.atomic
def permit_apply(application: Application, *, by=None) -> AlarmPermit:
    """Issue a permit: the holder's alarm account (a new one unless given),
    the permit for one year from ``issued_on``, its fee invoiced, and the
    permit letter."""
    a = application
    reject_card_numbers(holder_name=a.holder_name, address=a.address, email=a.email)
    refuse_future("issued_on", a.issued_on, "Issue a permit on")
    functions = check_functions(a.functions, a.customer_class)
    address = " ".join(a.address.split())
    if not address:
        raise PermitError({"address": "Enter the premise address."})
    key = normalize_address(address)
    if AlarmPermit.objects.filter(address_key=key, status=AlarmPermit.Status.ACTIVE).exists():
        raise PermitError(
            {"address": f"{address} already has an active permit; renew or change that one."}
        )
    account = a.account
    if account is None:
        person = person_create(
            **holder_person_fields(a.holder_name, a.business),
            phone=a.phone,
            email=a.email,
            mailing_line1=address,
            mailing_city="Mesa",
            mailing_state="AZ",
            mailing_zip=a.zip_code,
            preferred_language=a.preferred_language,
        )
        account = account_create(
            main_person=person,
            kind=Account.Kind.ALARM,
            customer_class=a.customer_class,
            opened_on=a.issued_on,
        )
    elif account.kind != Account.Kind.ALARM:
        raise PermitError({"account": f"{account.number} is not an alarm account."})
    term_ends_on = fees.term_ends_on(a.issued_on)
    permit = AlarmPermit(
        number=permit_numbers_next(1)[0],
        account=account,
        holder_name=" ".join(a.holder_name.split()),
        customer_class=a.customer_class,
        address=address,
        address_key=key,
        zip_code=a.zip_code,
        premise_id=premise_for(key),
        alarm_company=a.alarm_company,
        issued_on=a.issued_on,
        expires_on=term_ends_on,
        status_since=a.issued_on,
        created_by=by,
        **{name: name in functions for name in fees.FUNCTIONS},
    )
    permit.full_clean(exclude=["account", "alarm_company", "premise", "created_by"])
    permit.save()
    responders_set(permit=permit, responders=a.responders)
    # The fee is invoiced the day it is charged (a permit dated from earlier
    # would otherwise owe a fee already past due), as a registration's is.
    invoice = invoice_post(
        permit_fee_spec(
            permit,
            kind=AlarmInvoice.Kind.PERMIT,
            issued_on=today(),
            term_ends_on=term_ends_on,
        ),
        created_by=by,
    )
    permit_letter_send(permit=permit, invoice=invoice, by=by)
    return permit


def permit_letter_send(*, permit: AlarmPermit, invoice: AlarmInvoice, by=None):
    return alarm_letter_send(
        account=permit.account,
        kind="alarm_permit_issued",
        merge={
            "permit_number": permit.number,
            "alarm_functions": alarm_functions_wording(permit.functions),
            "premise_address": permit.address,
            "expires_on": invoice.term_ends_on,
            "fee_total": invoice.amount,
            "due_date": invoice.due_on,
        },
        source_key=f"alarm-letter:{invoice.source_key}",
        by=by,
    )


@transaction.atomic
def responders_set(*, permit: AlarmPermit, responders: list[tuple[str, str]]) -> None:
    """The permit's responders, in order: who the police call to reach the premise."""
    rows = []
    for position, (name, phone) in enumerate(responders, start=1):
        name = " ".join((name or "").split())
        if not name and not phone:
            continue
        reject_card_numbers(responder_name=name)
        phone = normalize_phone(phone)
        if not name or len(phone) != 10:
            raise PermitError(
                {"responders": f"Responder {position}: give a name and a 10-digit phone number."}
            )
        rows.append(Responder(permit=permit, position=position, name=name[:120], phone=phone))
    permit.responders.all().delete()
    Responder.objects.bulk_create(rows)


@transaction.atomic
def company_save(*, company: AlarmCompany | None = None, **fields) -> AlarmCompany:
    """Add or change an alarm company in the registry."""
    reject_card_numbers(
        **{k: v for k, v in fields.items() if k in ("name", "contact_name", "address", "email")}
    )
    company = company or AlarmCompany()
    for name, value in fields.items():
        setattr(company, name, value.strip() if isinstance(value, str) else value)
    company.phone = normalize_phone(company.phone)
    company.full_clean()
    company.save()
    return company


@transaction.atomic
def permit_update(
    *, permit: AlarmPermit, alarm_company: AlarmCompany | None, responders: list[tuple[str, str]]
) -> AlarmPermit:
    """What a holder changes by phone: the alarm company and the responders.
    (Functions change at renewal, with their fee.)"""
    permit = AlarmPermit.objects.select_for_update().get(pk=permit.pk)
    if permit.status == AlarmPermit.Status.REVOKED:
        raise PermitError(f"Permit {permit.number} is revoked.")
    permit.alarm_company = alarm_company
    permit.save(update_fields=["alarm_company"])
    responders_set(permit=permit, responders=responders)
    return permit

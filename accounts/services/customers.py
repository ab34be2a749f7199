"""Writes on customers, accounts, premises and the contact log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pgtrigger
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from accounts.models import (
    Account,
    AccountFlag,
    AccountNote,
    AccountPerson,
    Contact,
    Person,
    Premise,
)
from accounts.validators import normalize_phone
from mesa_cs.lib.address import normalize_address
from mesa_cs.lib.copy import copy_insert, copy_rows
from mesa_cs.lib.luhn import luhn_check_digit, reject_card_numbers

# What a person types about a customer, checked for card numbers (phones,
# ZIP codes and the ID's last 4 have formats of their own).
PERSON_FREE_TEXT = (
    "first_name",
    "last_name",
    "business_name",
    "email",
    "mailing_line1",
    "mailing_line2",
    "mailing_city",
)


def account_number_next() -> str:
    """A new 10-digit account number: 9 digits from a sequence, then a Luhn digit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('accounts_account_number_seq')")
        (payload,) = cursor.fetchone()
    payload = f"{payload:09d}"
    return payload + luhn_check_digit(payload)


@transaction.atomic
def person_create(*, phone: str = "", alt_phone: str = "", **fields) -> Person:
    """Create a customer; every field is validated and reported by name."""
    reject_card_numbers(**{k: v for k, v in fields.items() if k in PERSON_FREE_TEXT})
    person = Person(phone=normalize_phone(phone), alt_phone=normalize_phone(alt_phone), **fields)
    person.full_clean(exclude=["full_name"])
    person.save()
    return person


@transaction.atomic
def account_create(
    *,
    name: str = "",
    main_person: Person | None = None,
    kind: str = Account.Kind.UTILITY,
    customer_class: str = Account.CustomerClass.RESIDENTIAL,
    bill_cycle: int | None = None,
    opened_on: date | None = None,
) -> Account:
    reject_card_numbers(name=name)
    account = Account(
        number=account_number_next(),
        name=name or (main_person.display_name if main_person else ""),
        kind=kind,
        customer_class=customer_class,
        bill_cycle=bill_cycle,
    )
    if opened_on:
        account.opened_on = opened_on
    account.full_clean()
    account.save()
    if main_person is not None:
        AccountPerson.objects.create(
            account=account,
            person=main_person,
            role=AccountPerson.Role.MAIN,
            starts_on=account.opened_on,
        )
    return account


@transaction.atomic
def premise_create(
    *,
    house_number: str,
    street_name: str,
    zip_code: str,
    direction: str = "",
    street_type: str = "",
    unit: str = "",
    parcel: str = "",
    service_area: str = "",
) -> Premise:
    reject_card_numbers(street_name=street_name, street_type=street_type, unit=unit, parcel=parcel)
    premise = Premise(
        house_number=str(house_number).strip(),
        direction=direction.strip().upper(),
        street_name=street_name.strip(),
        street_type=street_type.strip(),
        unit=unit.strip(),
        zip_code=zip_code.strip(),
        parcel=parcel.strip(),
        service_area=service_area,
    )
    premise.address_key = premise_address_key(premise)
    premise.full_clean()
    premise.save()
    return premise


def premise_address_key(premise: Premise) -> str:
    return normalize_address(premise.address_line)


@transaction.atomic
def contact_log(
    *,
    account: Account,
    channel: str,
    topic: str,
    notes: str,
    created_by=None,
    person: Person | None = None,
    follow_up_on: date | None = None,
) -> Contact:
    reject_card_numbers(notes=notes)
    contact = Contact(
        account=account,
        person=person,
        channel=channel,
        topic=topic,
        notes=notes.strip(),
        follow_up_on=follow_up_on,
        created_by=created_by,
    )
    contact.full_clean(exclude=["account", "person", "created_by"])
    contact.save()
    return contact


@transaction.atomic
def account_note_add(*, account: Account, text: str, created_by=None, pinned=False) -> AccountNote:
    if not text.strip():
        raise ValidationError({"text": "Write the note before saving it."})
    reject_card_numbers(text=text)
    return AccountNote.objects.create(
        account=account, text=text.strip(), created_by=created_by, pinned=pinned
    )


@transaction.atomic
def account_flag_set(
    *,
    account: Account,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    reason: str = "",
    set_by=None,
) -> AccountFlag:
    reject_card_numbers(reason=reason)
    flag = AccountFlag(
        account=account,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        set_by=set_by,
    )
    flag.full_clean(exclude=["account", "set_by"])
    flag.save()
    return flag


@transaction.atomic
def account_flag_end(*, account: Account, kind: str, on: date) -> int:
    """End the account's open flags of a kind on ``on`` (flags are dated,
    never deleted); returns how many ended."""
    return AccountFlag.objects.filter(
        account=account, kind=kind, starts_on__lte=on, ends_on__isnull=True
    ).update(ends_on=on)


@transaction.atomic
def person_mailing_address_set(
    *,
    person: Person,
    mailing_line1: str,
    mailing_city: str,
    mailing_state: str,
    mailing_zip: str,
    mailing_line2: str = "",
) -> Person:
    """A new mailing address (e.g. where the final bill goes); every field is
    checked and reported by name."""
    reject_card_numbers(
        mailing_line1=mailing_line1, mailing_line2=mailing_line2, mailing_city=mailing_city
    )
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.mailing_line1, person.mailing_line2 = mailing_line1, mailing_line2
    person.mailing_city, person.mailing_state = mailing_city, mailing_state.upper()
    person.mailing_zip = mailing_zip
    person.full_clean(exclude=["full_name"])
    person.save()
    return person


@dataclass(frozen=True)
class HolderSpec:
    """One account holder to create in bulk: the person's fields
    (``Person``'s names) and the account's kind, class and opening date."""

    person: dict
    kind: str
    customer_class: str
    opened_on: date


def account_numbers_next(count: int) -> list[str]:
    """``count`` new account numbers in one statement (see account_number_next)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval('accounts_account_number_seq') FROM generate_series(1, %s)", [count]
        )
        payloads = [f"{value:09d}" for (value,) in cursor.fetchall()]
    return [payload + luhn_check_digit(payload) for payload in payloads]


@transaction.atomic
def holders_create_many(specs: list[HolderSpec]) -> list[Account]:
    """A person, an account and its main-customer link for each spec, in a
    few statements (alarm permit registrations arrive by the thousand). Each
    person is checked as ``person_create`` checks one; the first refusal
    raises a ValidationError naming the spec's position (from 1)."""
    people = []
    for position, spec in enumerate(specs, start=1):
        fields = spec.person
        try:
            reject_card_numbers(**{k: v for k, v in fields.items() if k in PERSON_FREE_TEXT})
            person = Person(
                **{k: v for k, v in fields.items() if k not in ("phone", "alt_phone")},
                phone=normalize_phone(fields.get("phone", "")),
            )
            # Each field given checked as full_clean checks it (the others
            # hold their defaults); the one table constraint (a name) here
            # in Python, not by a query per holder.
            person.clean_fields(exclude=[f for f in PERSON_FIELDS if f not in fields])
            if not person.business_name and not (person.first_name and person.last_name):
                raise ValidationError("give a business name, or a first and a last name")
        except ValidationError as exc:
            raise ValidationError(f"holder {position}: {'; '.join(exc.messages)}") from exc
        people.append(person)
    # Their creation is recorded by the import that asks for them (its kept
    # file), as a payment file's payments are; later changes are audited.
    # pghistory's insert trigger costs a subtransaction a row.
    with pgtrigger.ignore(*HOLDER_INSERT_AUDITS):
        return _holders_insert(people, specs)


PERSON_FIELDS = [f.name for f in Person._meta.concrete_fields]
HOLDER_INSERT_AUDITS = (
    "accounts.Person:insert_insert",
    "accounts.Account:insert_insert",
    "accounts.AccountPerson:insert_insert",
)


def _holders_insert(people: list[Person], specs: list[HolderSpec]) -> list[Account]:
    # COPY under pgtrigger.ignore: the setting it makes holds for the whole
    # transaction's statements, COPY's too (tests/accounts/test_holders_bulk.py).
    copy_insert(Person, people)
    numbers = account_numbers_next(len(specs))
    accounts = copy_insert(
        Account,
        [
            Account(
                number=number,
                name=person.display_name[:200],
                kind=spec.kind,
                customer_class=spec.customer_class,
                opened_on=spec.opened_on,
            )
            for number, person, spec in zip(numbers, people, specs, strict=True)
        ],
    )
    copy_rows(
        AccountPerson,
        ("account_id", "person_id", "role", "starts_on"),
        (
            (account.pk, person.pk, AccountPerson.Role.MAIN, spec.opened_on)
            for account, person, spec in zip(accounts, people, specs, strict=True)
        ),
    )
    return accounts

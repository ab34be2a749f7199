"""Alarm companies' bulk registrations (interchange_formats.md, "Alarm
permit registrations"): one permit created or renewed per row, its fee
charged. Like a payment file, the file is all or nothing: one bad row and
nothing is registered, every bad row reported by line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction

from accounts.models import Account, Person, Premise
from accounts.services.customers import HolderSpec, holders_create_many
from accounts.validators import normalize_phone, validate_phone
from alarms.models import AlarmCompany, AlarmFile, AlarmInvoice, AlarmPermit
from alarms.rules import fees
from alarms.services.files import file_keep
from alarms.services.invoices import invoices_post_many
from alarms.services.permits import (
    check_functions,
    holder_person_fields,
    permit_fee_spec,
    permit_numbers_next,
)
from mesa_cs.lib.address import normalize_address
from mesa_cs.lib.copy import copy_insert
from mesa_cs.lib.dates import today
from mesa_cs.lib.imports import csv_rows_read, file_text
from mesa_cs.lib.luhn import looks_like_card_number

HEADER = [
    "holder_name",
    "address",
    "alarm_functions",
    "issued_on",
    "alarm_company",
    "phone",
    "email",
]
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
REGISTRATIONS_LOCK = 7_140_002


@dataclass
class Registration:
    line: int
    holder_name: str
    address: str
    address_key: str
    functions: list[str]
    customer_class: str
    issued_on: date
    company: str
    phone: str
    email: str


def _text(name: str, value: str, limit: int, *, required: bool = True) -> str:
    value = " ".join(value.split())
    if required and not value:
        raise ValueError(f"{name} is empty")
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    if looks_like_card_number(value):
        raise ValueError(f"{name} looks like a card number; card numbers are never stored")
    return value


def _registration(line: int, fields: list[str], on: date) -> Registration:
    if len(fields) != len(HEADER):
        raise ValueError(f"expected {len(HEADER)} fields, found {len(fields)}")
    name, address, functions, issued, company, phone, email = (f.strip() for f in fields)
    name = _text("holder_name", name, 200)
    address = _text("address", address, 120)
    company = _text("alarm_company", company, 120, required=False)
    chosen = [f.strip().lower() for f in functions.split(";") if f.strip()]
    unknown = [f for f in chosen if f not in fees.FUNCTIONS]
    if not chosen or unknown:
        raise ValueError(
            f"alarm_functions {functions[:40]!r} is not a ;-separated list of "
            "burglary, panic, robbery"
        )
    customer_class = (
        Account.CustomerClass.COMMERCIAL
        if "robbery" in chosen
        else Account.CustomerClass.RESIDENTIAL
    )
    try:
        chosen = check_functions(chosen, customer_class)
    except ValidationError as exc:
        raise ValueError(f"alarm_functions: {' '.join(exc.messages)}") from None
    if not DATE.fullmatch(issued):
        raise ValueError(f"issued_on {issued[:20]!r} is not a date like 2026-03-05")
    try:
        issued_on = date.fromisoformat(issued)
    except ValueError:
        raise ValueError(f"issued_on {issued} is not a real date") from None
    if issued_on > on:
        raise ValueError(f"issued_on {issued} is in the future")
    if fees.term_ends_on(issued_on) < on:
        raise ValueError(f"issued_on {issued}: a term from that date has already ended")
    for field_name, value in holder_person_fields(
        name, customer_class == Account.CustomerClass.COMMERCIAL
    ).items():
        limit = Person._meta.get_field(field_name).max_length
        if len(value) > limit:
            raise ValueError(
                f"holder_name: the {field_name.replace('_', ' ')} is longer than {limit} characters"
            )
    phone = normalize_phone(phone)
    try:
        validate_phone(phone)
    except ValidationError:
        raise ValueError(f"phone {fields[5].strip()[:20]!r} is not a 10-digit US number") from None
    email = email.strip()
    if looks_like_card_number(email):
        raise ValueError("email looks like a card number; card numbers are never stored")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValueError(f"email {email[:60]!r} is not an e-mail address") from None
        if len(email) > 254:
            raise ValueError("email is longer than 254 characters")
    return Registration(
        line, name, address, normalize_address(address), chosen, customer_class, issued_on,
        company, phone, email,
    )  # fmt: skip


def registrations_parse(text: str, on: date) -> tuple[list[Registration], list[dict]]:
    seen: dict[str, int] = {}

    def read(line: int, fields: list[str]) -> Registration:
        row = _registration(line, fields, on)
        if row.address_key in seen:
            raise ValueError(f"the same premise as line {seen[row.address_key]}")
        seen[row.address_key] = line
        return row

    return csv_rows_read(text, HEADER, read)


def _same_holder(permit: AlarmPermit, row: Registration) -> bool:
    return " ".join(permit.holder_name.lower().split()) == row.holder_name.lower()


@transaction.atomic
def registrations_import(*, content: bytes, filename: str, by=None) -> tuple[dict, AlarmFile]:
    """Import a registrations file. Returns the summary of
    interchange_formats.md and the kept file; nothing is registered unless
    every row is good. Run twice, a row renews the permit it made, charging
    nothing new (the fee is keyed by permit and term)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REGISTRATIONS_LOCK])
    text, refusal = file_text(content)
    kept = file_keep(kind=AlarmFile.Kind.REGISTRATIONS, content=content, filename=filename, by=by)
    on = today()
    rows, errors = (
        ([], [{"line": 1, "reason": refusal}]) if refusal else registrations_parse(text, on)
    )
    summary = {"created": 0, "renewed": 0, "errors": errors, "permits": []}
    if not errors:
        with transaction.atomic():
            _register(rows, summary, by, on, kept)
    kept.summary = summary
    kept.save(update_fields=["summary"])
    return summary, kept


def _companies(rows: list[Registration]) -> dict[str, AlarmCompany]:
    """The registry's companies by lower-case name; a company not yet in it
    is added (an administrator completes its details)."""
    names = list(dict.fromkeys(row.company for row in rows if row.company))
    known = {c.name.lower(): c for c in AlarmCompany.objects.only("pk", "name")}
    missing = {}  # a new company is spelled as the file first spells it
    for name in names:
        if name.lower() not in known:
            missing.setdefault(name.lower(), name)
    for company in AlarmCompany.objects.bulk_create(
        AlarmCompany(name=name) for name in missing.values()
    ):
        known[company.name.lower()] = company
    return known


def _premises(keys: list[str]) -> dict[str, int]:
    """The utility premise at each address, where exactly one is there
    (``permits.premise_for``, for a whole file in one query)."""
    found: dict[str, list[int]] = {}
    for key, pk in Premise.objects.filter(address_key__any=keys).values_list("address_key", "pk"):
        found.setdefault(key, []).append(pk)
    return {key: pks[0] for key, pks in found.items() if len(pks) == 1}


def _register(rows: list[Registration], summary: dict, by, on: date, kept: AlarmFile) -> None:
    existing = {}
    for permit in (
        AlarmPermit.objects.filter(address_key__any=[row.address_key for row in rows])
        .exclude(status=AlarmPermit.Status.REVOKED)
        .order_by("issued_on", "pk")
    ):
        existing[permit.address_key] = permit  # the latest one per premise
    companies = _companies(rows)
    premises = _premises([row.address_key for row in rows])
    renew = [
        r for r in rows if r.address_key in existing and _same_holder(existing[r.address_key], r)
    ]
    renewing = {id(r) for r in renew}  # by identity: a list test compares every field
    create = [r for r in rows if id(r) not in renewing]
    superseded = [existing[r.address_key] for r in create if r.address_key in existing]
    accounts = holders_create_many(
        [
            HolderSpec(
                person={
                    **holder_person_fields(
                        r.holder_name, r.customer_class == Account.CustomerClass.COMMERCIAL
                    ),
                    "phone": r.phone,
                    "email": r.email,
                    "mailing_line1": r.address,
                    "mailing_city": "Mesa",
                    "mailing_state": "AZ",
                },
                kind=Account.Kind.ALARM,
                customer_class=r.customer_class,
                opened_on=r.issued_on,
            )
            for r in create
        ]
    )
    made = copy_insert(
        AlarmPermit,
        [
            AlarmPermit(
                number=number,
                account=account,
                holder_name=r.holder_name,
                customer_class=r.customer_class,
                address=r.address,
                address_key=r.address_key,
                premise_id=premises.get(r.address_key),
                alarm_company=companies.get(r.company.lower()) if r.company else None,
                issued_on=r.issued_on,
                expires_on=fees.term_ends_on(r.issued_on),
                status=AlarmPermit.Status.ACTIVE,
                status_since=r.issued_on,
                created_by=by,
                **{name: name in r.functions for name in fees.FUNCTIONS},
            )
            for number, account, r in zip(
                permit_numbers_next(len(create)), accounts, create, strict=True
            )
        ],
    )
    replacing = {p.address_key: p for p in made}
    for old in superseded:
        old.status, old.status_since = AlarmPermit.Status.REVOKED, on
        old.status_reason = (
            f"Replaced by {replacing[old.address_key].number} (a new holder registered the premise)"
        )
    AlarmPermit.objects.bulk_update(superseded, ["status", "status_since", "status_reason"])
    renewed = []
    for r in renew:
        permit = existing[r.address_key]
        if r.issued_on > permit.issued_on:
            permit.issued_on, permit.expires_on = r.issued_on, fees.term_ends_on(r.issued_on)
        if permit.status == AlarmPermit.Status.EXPIRED:
            permit.status, permit.status_since = AlarmPermit.Status.ACTIVE, on
            permit.status_reason = ""
        for name in fees.FUNCTIONS:
            setattr(permit, name, name in r.functions)
        if r.company:
            permit.alarm_company = companies.get(r.company.lower())
        renewed.append(permit)
    AlarmPermit.objects.bulk_update(
        renewed,
        ["issued_on", "expires_on", "status", "status_since", "status_reason", "alarm_company",
         *fees.FUNCTIONS],
    )  # fmt: skip
    fee_specs = [
        permit_fee_spec(p, kind=kind, issued_on=on, term_ends_on=p.expires_on, file_id=kept.pk)
        for kind, permits in (
            (AlarmInvoice.Kind.PERMIT, made),
            (AlarmInvoice.Kind.RENEWAL, renewed),
        )
        for p in permits
    ]
    invoices_post_many(fee_specs, created_by=by)
    numbers = {id(r): p.number for r, p in zip(create, made, strict=True)}
    numbers.update({id(r): p.number for r, p in zip(renew, renewed, strict=True)})
    summary["created"], summary["renewed"] = len(made), len(renewed)
    summary["permits"] = [{"line": r.line, "permit_number": numbers[id(r)]} for r in rows]
    from alarms.tasks import alarm_file_letters

    alarm_file_letters.delay_on_commit(kept.pk)

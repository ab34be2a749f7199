"""Reads behind letters: who a letter goes to, and the letters and templates
the pages list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from accounts.models import Account, AccountPerson, Letter, LetterTemplate, Person, Premise


@dataclass(frozen=True)
class Recipient:
    """Where a letter on an account goes, worked out from the account."""

    name: str
    person: Person | None
    email: str
    address_lines: tuple[str, ...]
    service_address: str

    @property
    def mailing_address(self) -> str:
        return ", ".join(self.address_lines)


def _main_person(account: Account, on: date) -> Person | None:
    link = (
        account.links.filter(role=AccountPerson.Role.MAIN, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("person")
        .order_by("-starts_on", "-pk")
        .first()
    )
    return link.person if link else None


def _first_premise(account: Account) -> Premise | None:
    """The first open service's premise, else the latest service's."""
    agreements = list(account.agreements.select_related("premise").order_by("starts_on", "pk"))
    open_agreements = [sa for sa in agreements if sa.is_open]
    if open_agreements:
        return open_agreements[0].premise
    return agreements[-1].premise if agreements else None


def _mailing_lines(person: Person | None) -> tuple[str, ...]:
    if person is None or not person.mailing_line1:
        return ()
    city = f"{person.mailing_city}, {person.mailing_state} {person.mailing_zip}".strip(" ,")
    return tuple(line for line in (person.mailing_line1, person.mailing_line2, city) if line)


def letter_recipient(account: Account, on: date) -> Recipient:
    """The main customer (or the name on the account), their e-mail address,
    and the mailing address: the person's own, else the service address."""
    person = _main_person(account, on)
    premise = _first_premise(account)
    service_lines = (premise.address_line, premise.city_line) if premise else ()
    return Recipient(
        name=person.display_name if person else account.name,
        person=person,
        email=person.email if person else "",
        address_lines=_mailing_lines(person) or service_lines,
        service_address=", ".join(service_lines),
    )


def account_letters(account: Account, limit: int = 50):
    return account.letters.select_related("created_by")[:limit]


def letter_for_account(number: str, pk: int) -> Letter | None:
    return Letter.objects.select_related("account").filter(account__number=number, pk=pk).first()


def letter_templates():
    return LetterTemplate.objects.select_related("updated_by").order_by("pk")


def letter_template(kind: str) -> LetterTemplate | None:
    return LetterTemplate.objects.filter(kind=kind).first()

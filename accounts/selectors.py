from __future__ import annotations

from django.db.models import QuerySet

from .models import Account


def account_by_number(number: str) -> Account | None:
    return Account.objects.filter(number=number).first()


def account_search(q: str) -> QuerySet[Account]:
    q = q.strip()
    if not q:
        return Account.objects.none()
    if q.isdigit():
        return Account.objects.filter(number__startswith=q)
    return Account.objects.filter(name__icontains=q)

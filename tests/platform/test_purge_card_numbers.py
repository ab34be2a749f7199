"""purge_card_numbers masks card numbers already stored: in ordinary tables,
audit-history event tables, the audit context and append-only ledger rows,
without new history rows; a second run finds nothing."""

from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import AccountNote, GLAccount, JournalEntry
from accounts.services import GLChart, Leg, entry_post
from mesa_cs.lib.audit import audit_context
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
CARD = "4111111111111111"


def purge() -> str:
    out = StringIO()
    call_command("purge_card_numbers", stdout=out)
    return out.getvalue()


def dump() -> str:
    """Every text and JSON value in the product's tables, as pg_dump would show them."""
    from mesa_cs.management.commands.purge_card_numbers import _columns, _tables

    values = []
    with connection.cursor() as cursor:
        for table in _tables():
            for column, _ in _columns(table):
                cursor.execute(
                    f'SELECT "{column}"::text FROM "{table}" WHERE "{column}" IS NOT NULL'
                )
                values += [row[0] for row in cursor.fetchall()]
    return "\n".join(values)


def test_stored_card_numbers_are_masked_everywhere_and_a_second_run_finds_none():
    account = AccountFactory()
    # Stored the way the old code let them in: past every service check.
    with audit_context(url=f"/accounts/?q={CARD}"):
        note = AccountNote.objects.create(account=account, text=f"Ref 12 {CARD}")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_accountnote SET pinned = true WHERE id = %s", [note.pk]
        )  # a second history row, holding the number too
        cursor.execute(
            "INSERT INTO accounts_contact (account_id, channel, topic, notes, created_at) "
            "VALUES (%s, 'call', 'payment', %s, now())",
            [account.pk, "Paid by 4111.1111.1111.1111"],
        )
    chart = GLChart()
    entry = entry_post(
        kind=JournalEntry.Kind.PAYMENT,
        effective_on=date(2026, 1, 5),
        description=f"Payment, card {CARD}",
        legs=[
            Leg(chart.get(GLAccount.Purpose.CASH), D("5")),
            Leg(chart.get(GLAccount.Purpose.SUSPENSE), D("-5")),
        ],
    )
    events_before = note.events.count()
    assert dump().count(CARD) == 5

    report = purge()

    assert "accounts_accountnote.text: 1" in report
    assert "accounts_accountnoteevent.text: 2" in report
    assert "accounts_contact.notes: 1" in report
    assert "accounts_contactevent.notes: 1" in report
    assert "accounts_journalentry.description: 1" in report
    assert "pghistory_context.metadata: 1" in report
    assert "in 7 value(s) in 6 column(s)" in report
    note.refresh_from_db()
    assert note.text == "Ref 12 ************1111"
    assert JournalEntry.objects.get(pk=entry.pk).description == "Payment, card ************1111"
    assert set(note.events.values_list("text", flat=True)) == {"Ref 12 ************1111"}
    assert note.events.count() == events_before  # the masking is not a new history row
    stored = dump()
    assert CARD not in stored and "4111.1111.1111.1111" not in stored
    assert "****.****.****.1111" in stored

    assert "in 0 value(s) in 0 column(s)" in purge()


def test_the_ledger_stays_append_only_after_a_purge():
    from django.db import DatabaseError, transaction

    chart = GLChart()
    entry = entry_post(
        kind=JournalEntry.Kind.PAYMENT,
        effective_on=date(2026, 1, 5),
        description=f"card {CARD}",
        legs=[
            Leg(chart.get(GLAccount.Purpose.CASH), D("5")),
            Leg(chart.get(GLAccount.Purpose.SUSPENSE), D("-5")),
        ],
    )
    purge()
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(description="changed")

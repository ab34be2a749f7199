"""Switching a table's own triggers off for one correction, inside its
transaction (purge_card_numbers masks stored card numbers with it)."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection


@contextmanager
def user_triggers_disabled(table: str):
    """Inside a transaction: ``table``'s own triggers (audit copies, the
    ledger's append-only and balance checks) are off until the block ends.
    For corrections that must not be refused or audited as a change, like
    masking a stored card number; the table is locked meanwhile."""
    with connection.cursor() as cursor:
        # Run checks still pending in this transaction now: a table with
        # pending trigger events cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')

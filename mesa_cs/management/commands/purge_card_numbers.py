"""Mask card numbers already stored anywhere in the product's tables.

Every text and JSON column of every table Django manages is searched,
audit-history (pghistory event) tables and the audit context included; a card
number (mesa_cs.lib.luhn's rule) keeps only its last 4 digits. Safe to run
twice: masked text holds no card number, so a second run changes nothing.

Per column, PostgreSQL picks out the rows that hold 13 or more digits in a
run (a regular expression); only those are read, masked by the same Python
rule the services refuse with, and written back in one UPDATE per batch.

A table's user triggers are disabled while it is masked, in that table's own
transaction (as the demo's bulk loader does for loads): the ledger's append-only
triggers would refuse the change to a posted entry's description, and the
audit triggers would copy the row into a new history event. A masked number
is a correction of what should never have been stored, not a customer change.
"""

from __future__ import annotations

import json

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from mesa_cs.lib.luhn import mask_card_numbers
from mesa_cs.lib.triggers import user_triggers_disabled

# A card-digit character is an ASCII digit or, to be safe, anything non-ASCII
# (PostgreSQL's classes do not know full-width digits; Python decides).
_DIGIT = r"(?:[0-9]|[^\x01-\x7f])"
CANDIDATE = rf"{_DIGIT}(?:(?:[[:space:].\-]|[^\x01-\x7f])*{_DIGIT}){{12}}"
TEXT_TYPES = ("text", "character varying", "character")
JSON_TYPES = ("json", "jsonb")
# Framework tables whose text is not typed by anyone (or is encoded).
SKIPPED_APPS = {"contenttypes", "sessions"}
BATCH = 1000


def _tables() -> dict[str, str]:
    """Table -> primary key column, for every table of the product."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in SKIPPED_APPS or not meta.managed or meta.proxy:
            continue
        tables[meta.db_table] = meta.pk.column
    return tables


def _columns(table: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT column_name, data_type FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = %s
                  AND data_type = ANY(%s) ORDER BY ordinal_position""",
            [table, list(TEXT_TYPES + JSON_TYPES)],
        )
        return cursor.fetchall()


def _mask_json(value):
    if isinstance(value, str):
        return mask_card_numbers(value)
    if isinstance(value, list):
        return [_mask_json(item) for item in value]
    if isinstance(value, dict):
        return {mask_card_numbers(key): _mask_json(item) for key, item in value.items()}
    return value


def _changes(table: str, pk: str, column: str, is_json: bool) -> list[tuple[str, str]]:
    """(primary key as text, masked value) for each row whose value changes."""
    with connection.cursor() as cursor:
        cast = "::text" if is_json else ""
        cursor.execute(
            f'SELECT "{pk}"::text, "{column}"{cast} FROM "{table}" WHERE "{column}"{cast} ~ %s',
            [CANDIDATE],
        )
        rows = cursor.fetchall()
    changes = []
    for key, value in rows:
        if is_json:
            masked = json.dumps(_mask_json(json.loads(value)))
            changed = masked != json.dumps(json.loads(value))
        else:
            masked = mask_card_numbers(value)
            changed = masked != value
        if changed:
            changes.append((key, masked))
    return changes


def _write(table: str, pk: str, column: str, data_type: str, changes) -> None:
    cast = f"::{data_type}" if data_type in JSON_TYPES else ""
    with connection.cursor() as cursor:
        for start in range(0, len(changes), BATCH):
            keys, values = zip(*changes[start : start + BATCH], strict=True)
            cursor.execute(
                f'UPDATE "{table}" AS t SET "{column}" = v.value{cast} '
                f"FROM unnest(%s::text[], %s::text[]) AS v(key, value) "
                f'WHERE t."{pk}"::text = v.key',
                [list(keys), list(values)],
            )


def card_numbers_purge() -> dict[tuple[str, str], int]:
    """Mask every stored card number; the rows changed per (table, column)."""
    counts: dict[tuple[str, str], int] = {}
    for table, pk in sorted(_tables().items()):
        columns = _columns(table)
        if not columns:
            continue
        with transaction.atomic():
            found = {}
            for column, data_type in columns:
                changes = _changes(table, pk, column, data_type in JSON_TYPES)
                if changes:
                    found[column] = (data_type, changes)
            if not found:
                continue
            with user_triggers_disabled(table):
                for column, (data_type, changes) in found.items():
                    _write(table, pk, column, data_type, changes)
                    counts[(table, column)] = len(changes)
    return counts


class Command(BaseCommand):
    help = (
        "Mask card numbers already stored (every text column, history tables "
        "included) to their last 4 digits, and report the rows changed per column."
    )

    def handle(self, *args, **options):
        counts = card_numbers_purge()
        for (table, column), count in sorted(counts.items()):
            self.stdout.write(f"{table}.{column}: {count}")
        total = sum(counts.values())
        self.stdout.write(f"Card numbers masked in {total} value(s) in {len(counts)} column(s).")

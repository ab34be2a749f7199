"""Bulk loading with COPY, for demo data and benchmarks at city scale.

``bulk_load(tables)`` runs inside a transaction: it disables the tables' user
triggers (audit and ledger checks) and drops their foreign keys and plain
indexes, and on the way out puts every one of them back; rebuilding an index
or validating a foreign key once is far cheaper than doing it per row. The
caller re-checks, set-wise, what the disabled triggers would have checked
(the demo seed checks the ledger balance) before the transaction commits.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection


def first_free_id(table: str) -> int:
    """The next id for ``table``, with the table locked against other writers
    until the transaction ends (ids are assigned by the loader, not the
    sequence; ``advance_sequence`` then moves the sequence past them)."""
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            f"SELECT greatest(coalesce(max(id), 0), "
            f"coalesce(pg_sequence_last_value('{table}_id_seq'), 0)) + 1 FROM {table}"
        )
        return cursor.fetchone()[0]


def advance_sequence(table: str, last_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "greatest(%s, coalesce(pg_sequence_last_value(%s), 0), 1))",
            [table, last_id, f"{table}_id_seq"],
        )


def copy_rows(table: str, columns: list[str], rows) -> int:
    """COPY an iterable of tuples into ``table``; None is NULL."""
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        names = ", ".join(f'"{column}"' for column in columns)
        with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


@contextmanager
def bulk_load(tables: list[str]):
    saved_fks, saved_indexes = [], []
    with connection.cursor() as cursor:
        # Run checks still pending in this transaction now: a table with
        # pending trigger events cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(
                """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                    WHERE conrelid = %s::regclass AND contype = 'f'""",
                [table],
            )
            for name, definition in cursor.fetchall():
                saved_fks.append((table, name, definition))
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            cursor.execute(
                """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                     FROM pg_index i
                    WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary""",
                [table],
            )
            for name, definition in cursor.fetchall():
                saved_indexes.append(definition)
                cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        for definition in saved_indexes:
            cursor.execute(definition)
        for table, name, definition in saved_fks:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            cursor.execute(f"ANALYZE {table}")

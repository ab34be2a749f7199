"""Bulk loading with COPY, for demo data and benchmarks at city scale.

``bulk_load(tables)`` runs inside a transaction: it disables the tables' user
triggers (audit and ledger checks) and drops their foreign keys, indexes and
unique keys (those no foreign key depends on), and on the way out puts every
one of them back, so a duplicate fails the load there; rebuilding an index
or validating a foreign key once is far cheaper than doing it per row. The
caller re-checks, set-wise, what the disabled triggers would have checked
(the demo seed checks the ledger balance) before the transaction commits.

Rows are dicts keyed by the model's field names; the COPY columns come from
the model (``CopyPlan``), so a new column with a default needs nothing here
and a new one without fails naming it.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter

from django.db import connection
from django.db.models import NOT_PROVIDED


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


class RowError(ValueError):
    """A demo row that does not fit its table; the message names the column."""


_GIVE = object()  # a column every row must give: it has no default


@dataclass(frozen=True)
class CopyPlan:
    """How rows given as dicts (keyed by field attname) become a COPY: the
    columns come from the model's ``_meta``. A column the rows leave out is
    filled with the model's default (or NULL where it is nullable), left to
    the database where it has a ``db_default`` (or is generated), and
    refused, by name, where it has neither. The first row sets which columns
    the rows give."""

    table: str
    keys: tuple[str, ...]  # what the rows give, in COPY order
    columns: tuple[str, ...]  # the same, then the defaulted columns
    tail: tuple  # the defaults, in that order
    defaults: dict  # attname: default (or _GIVE, or NOT_PROVIDED) of each field

    @classmethod
    def for_rows(cls, model, first: dict) -> CopyPlan:
        table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if not f.generated]
        _unknown(table, first.keys() - {f.attname for f in fields})
        keys, columns, tail_columns, tail, defaults = [], [], [], [], {}
        for f in fields:
            default = _default(f)
            defaults[f.attname] = default
            if f.attname in first:
                keys.append(f.attname)
                columns.append(f.column)
            elif default is NOT_PROVIDED:
                continue  # the database's default
            elif default is _GIVE:
                raise RowError(
                    f"{table}.{f.column} has no default: the demo's {model.__name__} rows "
                    f"must give {f.attname}"
                )
            else:
                tail_columns.append(f.column)
                tail.append(default)
        return cls(table, tuple(keys), (*columns, *tail_columns), tuple(tail), defaults)

    def values(self, row: dict) -> tuple:
        """A row that leaves out some of the first row's keys."""
        _unknown(self.table, row.keys() - set(self.keys), first=True)
        values = []
        for key in self.keys:
            if key in row:
                values.append(row[key])
            elif self.defaults[key] is _GIVE:
                raise RowError(f"{self.table}: a row has no {key} (the column has no default)")
            elif self.defaults[key] is NOT_PROVIDED:
                raise RowError(
                    f"{self.table}: a row leaves out {key}, which the first row gave; a COPY "
                    "cannot ask for the database's default row by row"
                )
            else:
                values.append(self.defaults[key])
        return (*values, *self.tail)


def _default(field):
    if field.db_default is not NOT_PROVIDED:
        return NOT_PROVIDED
    if not field.has_default() and not field.null:
        return _GIVE
    # A callable default (now, localdate) is called once per table and batch.
    return field.get_db_prep_save(field.get_default(), connection)


def _unknown(table: str, keys, first: bool = False) -> None:
    if not keys:
        return
    names = ", ".join(sorted(keys))
    if first:
        raise RowError(f"{table}: a row gives {names}: not a column, or left out by the first row")
    raise RowError(f"{table} has no column {names}")


class CopyRows:
    """One table's rows for a COPY, given as dicts and kept as tuples (a
    city's worth of dicts would not fit in memory). A row that does not fit
    is refused as it is added, before any COPY starts."""

    def __init__(self, model):
        self.model = model
        self.plan: CopyPlan | None = None
        self.rows: list[tuple] = []

    def add(self, row: dict) -> None:
        if self.plan is None:
            self.plan = CopyPlan.for_rows(self.model, row)
            keys = self.plan.keys
            self._width = len(keys)
            self._pick = itemgetter(*keys) if len(keys) > 1 else lambda r: (r[keys[0]],)
        # The common case, a row with the first row's keys, at C speed.
        try:
            values = self._pick(row) if len(row) == self._width else None
        except KeyError:
            values = None
        if values is None:
            self.rows.append(self.plan.values(row))
        else:
            self.rows.append(values + self.plan.tail if self.plan.tail else values)

    def copy(self) -> int:
        if not self.rows:
            return 0
        names = ", ".join(f'"{column}"' for column in self.plan.columns)
        sql = f"COPY {self.plan.table} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in self.rows:
                copy.write_row(row)
        return len(self.rows)


def copy_rows(model, rows) -> int:
    """COPY rows (dicts keyed by attname; None is NULL) into ``model``'s table."""
    buffer = CopyRows(model)
    for row in rows:
        buffer.add(row)
    return buffer.copy()


@contextmanager
def bulk_load(tables: list[str]):
    saved_fks, saved_uniques, saved_indexes = [], [], []
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
            # Unique keys too (a text source key kept up row by row costs a
            # quarter of the load), unless a foreign key elsewhere needs one.
            cursor.execute(
                """SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
                    WHERE c.conrelid = %s::regclass AND c.contype = 'u'
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint f
                                       WHERE f.contype = 'f' AND f.conindid = c.conindid)""",
                [table],
            )
            for name, definition in cursor.fetchall():
                saved_uniques.append((table, name, definition))
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            cursor.execute(
                """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                     FROM pg_index i
                    WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                       WHERE c.conindid = i.indexrelid)""",
                [table],
            )
            for name, definition in cursor.fetchall():
                saved_indexes.append(definition)
                cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        for definition in saved_indexes:
            cursor.execute(definition)
        for table, name, definition in saved_uniques + saved_fks:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            cursor.execute(f"ANALYZE {table}")


def settle(tables: list[str]) -> None:
    """VACUUM (ANALYZE) freshly loaded tables, as one does after any bulk load:
    it sets hint bits and the visibility map once, so the first readers do
    not pay for it and autovacuum does not start on millions of rows under
    them. VACUUM cannot run in a transaction: inside one (a test), skip."""
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {table}")

"""Insert many rows with PostgreSQL's COPY, every trigger and constraint in
force: for imports and batches at city scale, where building model
instances and one INSERT of tens of thousands of rows costs more in Django
than the database spends storing them (bench/README.md, bench.alarms).

Unlike ``demo/bulk.py`` (which drops checks for the seed and re-checks them
set-wise), nothing here is switched off: the ledger's balance trigger, the
foreign keys, unique and check constraints all judge each row. What COPY
does not do is run Django's execute wrappers, so an audited table's rows
(pghistory) go in through ``bulk_create``, or by COPY only where their
insert triggers are meant to be skipped (``pgtrigger.ignore``, whose
setting holds for the transaction: accounts' ``holders_create_many``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.db.models import NOT_PROVIDED


def _ids(meta, count: int) -> list[int]:
    # The sequence is looked up once (a subquery), not once per row: called
    # per row, pg_get_serial_sequence was three quarters of the time.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval((SELECT pg_get_serial_sequence(%s, %s))::regclass)"
            " FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(
    model, attnames: Sequence[str], rows: Iterable[Sequence], *, ids: bool = True
) -> list[int]:
    """COPY ``rows`` (tuples of the fields named by ``attnames``, FKs by
    their ``_id``) into ``model``'s table; the ids given them, in order
    (with ``ids=False`` the database numbers them and none are returned:
    a round trip less for rows nothing refers to, like ledger legs).
    A field left out takes its model default (computed once), or the
    database's ``db_default``; one with neither is refused by name."""
    rows = list(rows)
    if not rows:
        return []
    meta = model._meta
    given = {meta.get_field(name).attname for name in attnames}
    tail_columns, tail = [], []
    for field in meta.concrete_fields:
        if field.primary_key or field.generated or field.attname in given:
            continue
        if field.db_default is not NOT_PROVIDED:
            continue
        if not field.has_default() and not field.null:
            raise ValueError(f"{meta.db_table}.{field.column} has no default: give {field.attname}")
        tail_columns.append(field.column)
        tail.append(field.get_db_prep_save(field.get_default(), connection))
    fields = [meta.get_field(name) for name in attnames]
    # psycopg writes ints, text, dates, times, Decimals and booleans itself;
    # a JSON field's value needs Django's adapter.
    json = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    quote = connection.ops.quote_name
    columns = [*(f.column for f in fields), *tail_columns]
    if ids:
        columns.insert(0, meta.pk.column)
    sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    given_ids = _ids(meta, len(rows)) if ids else []
    keyed = zip(given_ids, rows, strict=True) if ids else ((None, row) for row in rows)
    # Raised as Django's exceptions (IntegrityError for a duplicate key).
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(sql) as copy,
    ):
        for pk, row in keyed:
            if json:
                row = list(row)
                for i in json:
                    row[i] = fields[i].get_db_prep_save(row[i], connection)
            copy.write_row((pk, *row, *tail) if ids else (*row, *tail))
    return given_ids


def copy_insert(model, objs: list) -> list:
    """Insert unsaved ``objs`` of ``model`` with one COPY and give each its
    pk (as ``bulk_create`` does). A field with a ``db_default`` is left to
    the database; a generated one is skipped."""
    if not objs:
        return objs
    attnames = [
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and not f.generated and f.db_default is NOT_PROVIDED
    ]
    ids = copy_rows(model, attnames, ([getattr(o, a) for a in attnames] for o in objs))
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs

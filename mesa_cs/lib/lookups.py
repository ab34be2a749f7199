"""``field__any=values``: ``column = ANY(%s)`` with the values sent as one
array parameter, for the tens of thousands of keys an import looks up at
once. An ``__in`` list of that size is a placeholder per value, which
psycopg parses and Django compiles in Python: with 40,000 keys that cost
more than the query (bench/README.md, bench.alarms)."""

from __future__ import annotations

from django.db.models import Field, Lookup


@Field.register_lookup
class Any(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        field = self.lhs.output_field
        return "%s", [[field.get_db_prep_value(v, connection, prepared=False) for v in value]]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]

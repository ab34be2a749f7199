"""The two settings every audited or guarded row's trigger reads, read
without a subtransaction.

django-pgtrigger's ``_pgtrigger_should_ignore`` and django-pghistory's
``_pgh_attach_context`` read a custom setting inside ``BEGIN ... EXCEPTION
WHEN OTHERS`` to survive its absence: outside a request or an ignore block
the setting is missing, the read raises, and PostgreSQL rolls back a
subtransaction, for every row. Rolling one back walks every trigger event
still pending in the transaction (the deferred key and ledger checks), so a
bulk import's audited rows got slower with each row it had written before:
2,000 work items took 0.3 s on their own and 1.2 s after a feed's 40,000
incidents (bench/README.md, bench.alarms).

``current_setting(name, true)`` gives NULL for a missing setting (and ''
for one set earlier in the session and since reset), so the same answers
come without an exception. Both libraries re-create their function when
they install a trigger or migrate, so ours is put back after every
``migrate`` (``mesa_cs.apps``); ``tests/platform/test_trigger_settings.py``
checks the installed ones and what they answer."""

from __future__ import annotations

SHOULD_IGNORE = """
CREATE OR REPLACE FUNCTION "public"._pgtrigger_should_ignore(trigger_name NAME)
RETURNS BOOLEAN AS $$
    DECLARE
        _pgtrigger_ignore TEXT[];
    BEGIN
        _pgtrigger_ignore := NULLIF(current_setting('pgtrigger.ignore', true), '')::TEXT[];
        RETURN COALESCE(trigger_name = ANY(_pgtrigger_ignore), FALSE);
    END;
$$ LANGUAGE plpgsql;
"""

ATTACH_CONTEXT = """
CREATE OR REPLACE FUNCTION _pgh_attach_context()
RETURNS UUID AS $$
    DECLARE
        _pgh_context_id UUID;
        _pgh_context_metadata JSONB;
    BEGIN
        _pgh_context_id := NULLIF(current_setting('pghistory.context_id', true), '')::UUID;
        _pgh_context_metadata :=
            NULLIF(current_setting('pghistory.context_metadata', true), '')::JSONB;
        IF _pgh_context_id IS NULL OR _pgh_context_metadata IS NULL THEN
            RETURN NULL;
        END IF;
        INSERT INTO pghistory_context (id, metadata, created_at, updated_at)
            VALUES (_pgh_context_id, _pgh_context_metadata, NOW(), NOW())
            ON CONFLICT (id) DO UPDATE
                SET metadata = EXCLUDED.metadata,
                    updated_at = EXCLUDED.updated_at
                WHERE pghistory_context.metadata != EXCLUDED.metadata;
        RETURN _pgh_context_id;
    END;
$$ LANGUAGE plpgsql;
"""


def install(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(SHOULD_IGNORE)
        cursor.execute(ATTACH_CONTEXT)

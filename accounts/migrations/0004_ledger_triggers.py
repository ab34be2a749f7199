from django.db import migrations

# The ledger's invariants live in the database, so no code path (ORM, raw
# SQL, a bulk load, a bug) can break them:
#  * every journal entry has at least two legs summing to zero, checked at
#    commit by deferred constraint triggers on both tables;
#  * legs may be added only to an entry posted by the same transaction
#    (posted_at is the transaction's start time, now());
#  * posted entries and legs are never updated or deleted.
FORWARD = r"""
CREATE FUNCTION ledger_check_entry_balanced() RETURNS trigger AS $$
DECLARE
    target_entry bigint;
    total numeric;
    leg_count integer;
BEGIN
    IF TG_TABLE_NAME = 'accounts_journalentry' THEN
        target_entry := NEW.id;
    ELSE
        target_entry := NEW.entry_id;
    END IF;
    SELECT coalesce(sum(amount), 0), count(*) INTO total, leg_count
      FROM accounts_journalleg WHERE entry_id = target_entry;
    IF leg_count < 2 OR total <> 0 THEN
        RAISE EXCEPTION 'journal entry % is unbalanced: % legs summing to %', target_entry, leg_count, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER journalleg_balanced
    AFTER INSERT ON accounts_journalleg
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced();

CREATE CONSTRAINT TRIGGER journalentry_balanced
    AFTER INSERT ON accounts_journalentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced();

CREATE FUNCTION ledger_leg_joins_new_entry() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM accounts_journalentry
                    WHERE id = NEW.entry_id AND posted_at = now()) THEN
        RAISE EXCEPTION 'journal entry % was posted earlier: legs cannot be added to it', NEW.entry_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER journalleg_joins_new_entry
    BEFORE INSERT ON accounts_journalleg
    FOR EACH ROW EXECUTE FUNCTION ledger_leg_joins_new_entry();

CREATE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'posted ledger rows (%) cannot be changed or deleted: post a reversing entry', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER journalleg_immutable
    BEFORE UPDATE OR DELETE ON accounts_journalleg
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER journalentry_immutable
    BEFORE UPDATE OR DELETE ON accounts_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
"""

BACKWARD = r"""
DROP TRIGGER journalentry_immutable ON accounts_journalentry;
DROP TRIGGER journalleg_immutable ON accounts_journalleg;
DROP FUNCTION ledger_refuse_change();
DROP TRIGGER journalleg_joins_new_entry ON accounts_journalleg;
DROP FUNCTION ledger_leg_joins_new_entry();
DROP TRIGGER journalentry_balanced ON accounts_journalentry;
DROP TRIGGER journalleg_balanced ON accounts_journalleg;
DROP FUNCTION ledger_check_entry_balanced();
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_people_premises_meters_ledger")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

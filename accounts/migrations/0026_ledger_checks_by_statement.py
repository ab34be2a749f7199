from django.db import migrations

# The ledger's rules of 0004, checked once per statement instead of once per
# row (a bill run or an import posts tens of thousands of entries; the row
# triggers cost more than writing the rows, bench/README.md):
#  * legs may join only an entry posted by the same transaction: checked
#    over each INSERT's new legs at the end of the statement. This also
#    proves the entry exists, and entries are never deleted, so the legs'
#    row-by-row foreign-key check is dropped (0027);
#  * every entry has at least two legs summing to zero: each INSERT of
#    entries or legs queues the entry ids it touched as one row of
#    accounts_ledgercheck, whose deferred constraint trigger checks them all
#    at commit in one query and deletes the row. A later INSERT queues its
#    own row, so SET CONSTRAINTS ... IMMEDIATE part way through a
#    transaction cannot leave legs added afterwards unchecked. The trigger
#    reads the row as it was inserted, so changing or deleting the queued
#    row does not skip the check either.
# Both functions look entries and legs up by their indexes whatever the
# planner's statistics say (enable_seqscan off, for the function only): a
# table too new to have been analysed would otherwise be scanned once per
# leg. The append-only triggers of 0004 stay as they are.
FORWARD = r"""
CREATE TABLE accounts_ledgercheck (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_ids bigint[] NOT NULL
);

CREATE FUNCTION ledger_queue_check() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'accounts_journalleg' THEN
        IF EXISTS (SELECT 1 FROM new_rows l
                     LEFT JOIN accounts_journalentry e
                       ON e.id = l.entry_id AND e.posted_at = now()
                    WHERE e.id IS NULL) THEN
            RAISE EXCEPTION 'journal entry % was posted earlier or does not exist: legs cannot be added to it',
                (SELECT l.entry_id FROM new_rows l
                   LEFT JOIN accounts_journalentry e
                     ON e.id = l.entry_id AND e.posted_at = now()
                  WHERE e.id IS NULL LIMIT 1)
                USING ERRCODE = 'restrict_violation';
        END IF;
        INSERT INTO accounts_ledgercheck (entry_ids)
            SELECT array_agg(DISTINCT entry_id) FROM new_rows HAVING count(*) > 0;
    ELSE
        INSERT INTO accounts_ledgercheck (entry_ids)
            SELECT array_agg(id) FROM new_rows HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql SET enable_seqscan = off;

CREATE FUNCTION ledger_check_entries_balanced() RETURNS trigger AS $$
DECLARE
    bad record;
BEGIN
    SELECT e.id, count(l.id) AS legs, coalesce(sum(l.amount), 0) AS total INTO bad
      FROM unnest(NEW.entry_ids) AS e(id)
      LEFT JOIN accounts_journalleg l ON l.entry_id = e.id
     GROUP BY e.id
    HAVING count(l.id) < 2 OR coalesce(sum(l.amount), 0) <> 0
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % is unbalanced: % legs summing to %', bad.id, bad.legs, bad.total
            USING ERRCODE = 'check_violation';
    END IF;
    DELETE FROM accounts_ledgercheck WHERE id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql SET enable_seqscan = off;

DROP TRIGGER journalleg_joins_new_entry ON accounts_journalleg;
DROP FUNCTION ledger_leg_joins_new_entry();
DROP TRIGGER journalentry_balanced ON accounts_journalentry;
DROP TRIGGER journalleg_balanced ON accounts_journalleg;
DROP FUNCTION ledger_check_entry_balanced();

CREATE TRIGGER journalentry_queue_check
    AFTER INSERT ON accounts_journalentry
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_queue_check();

CREATE TRIGGER journalleg_queue_check
    AFTER INSERT ON accounts_journalleg
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_queue_check();

CREATE CONSTRAINT TRIGGER ledgercheck_balanced
    AFTER INSERT ON accounts_ledgercheck
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entries_balanced();
"""

BACKWARD = r"""
DROP TRIGGER journalleg_queue_check ON accounts_journalleg;
DROP TRIGGER journalentry_queue_check ON accounts_journalentry;
DROP FUNCTION ledger_queue_check();
DROP TABLE accounts_ledgercheck;
DROP FUNCTION ledger_check_entries_balanced();

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
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0025_alarm_letters")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

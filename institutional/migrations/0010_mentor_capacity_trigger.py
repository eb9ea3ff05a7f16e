"""The cap of mentees per mentor, enforced by the database.

After any change that adds a mentee to an approved or active pair of a mentor (approving a pair,
adding a participant, replacing the mentor), the trigger locks the mentor's bank entry and
counts their current mentees; above the entry's capacity the statement fails with a
check_violation whose message starts with `mentor_capacity_exceeded`. The row lock serializes
concurrent approvals for one mentor, so the cap holds even when they arrive at the same moment.
"""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION enforce_mentor_capacity() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    mentor bigint;
    cap integer;
    load integer;
BEGIN
    IF TG_TABLE_NAME = 'institutional_pair' THEN
        IF NEW.status NOT IN ('approved', 'active') THEN
            RETURN NULL;
        END IF;
        mentor := NEW.mentor_id;
    ELSE
        EXECUTE format(
            'SELECT mentor_id FROM %I.institutional_pair WHERE id = $1 AND status IN (''approved'', ''active'')',
            TG_TABLE_SCHEMA)
        INTO mentor USING NEW.pair_id;
        IF mentor IS NULL OR NEW.left_on IS NOT NULL THEN
            RETURN NULL;
        END IF;
    END IF;
    EXECUTE format('SELECT capacity FROM %I.institutional_mentorentry WHERE id = $1 FOR UPDATE', TG_TABLE_SCHEMA)
    INTO cap USING mentor;
    EXECUTE format(
        'SELECT count(*) FROM %1$I.institutional_pairmentee pm JOIN %1$I.institutional_pair p ON p.id = pm.pair_id'
        ' WHERE p.mentor_id = $1 AND p.status IN (''approved'', ''active'') AND pm.left_on IS NULL',
        TG_TABLE_SCHEMA)
    INTO load USING mentor;
    IF load > cap THEN
        RAISE EXCEPTION 'mentor_capacity_exceeded: mentor % has % mentees, capacity %', mentor, load, cap
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
"""

TRIGGERS = """
CREATE TRIGGER pair_mentor_capacity AFTER INSERT OR UPDATE OF status, mentor_id ON institutional_pair
    FOR EACH ROW EXECUTE FUNCTION enforce_mentor_capacity();
CREATE TRIGGER pairmentee_mentor_capacity AFTER INSERT OR UPDATE OF pair_id, left_on ON institutional_pairmentee
    FOR EACH ROW EXECUTE FUNCTION enforce_mentor_capacity();
"""

REVERSE = """
DROP TRIGGER IF EXISTS pair_mentor_capacity ON institutional_pair;
DROP TRIGGER IF EXISTS pairmentee_mentor_capacity ON institutional_pairmentee;
DROP FUNCTION IF EXISTS enforce_mentor_capacity();
"""


class Migration(migrations.Migration):
    dependencies = [("institutional", "0009_pairs_programs")]

    operations = [migrations.RunSQL(FUNCTION + TRIGGERS, reverse_sql=REVERSE)]

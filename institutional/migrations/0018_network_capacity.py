"""The cap of mentees per mentor across organizations (network mentoring), enforced by the database.

Runs in every tenant schema (the functions live in the tenant schema and read the public ledger
`public.regional_mentorload` and `public.regional_networkseat`).

`enforce_mentor_capacity()` replaces the version of migration 0010. After any change of a pair or a
participant it recomputes the load of the mentors involved:

- a LOCAL mentor (bank entry of this organization): after locking the entry and counting its
  current mentees here, it upserts the mentor's ledger row (`INSERT … ON CONFLICT … DO UPDATE …
  RETURNING network_mentees`, which locks the row) and fails when the local plus the network
  mentees exceed the capacity;
- an OUTSIDE mentor (a mentor of another organization working here in a network pair): it locks the
  mentor's ledger row in their home organization FIRST, then writes this pair's seat, recomputes
  the mentor's network mentees from every seat and fails when the total exceeds the capacity.

Every path that adds a mentee takes the same ledger row lock, so approvals for one mentor in
different organizations at the same moment are serialized exactly as approvals within one
organization are (by the entry lock). The error message starts with `mentor_capacity_exceeded:
mentor <entry id in this schema>` as before. Changes that release places (ending a pair, a
participant leaving, replacing the mentor) recompute the ledger too but never fail.

`keep_mentor_capacity()` keeps the ledger's capacity of local entries in step with the bank entry.
The migration fills the ledger for the entries that already exist (tenant migrations run once per
schema).
"""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION recompute_mentor_load(mentor bigint, enforce boolean, tenant_schema text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    cap integer;
    home_org bigint;
    home_entry bigint;
    this_org bigint;
    load integer;
    network integer;
    v_local integer;
    home_cap integer;
BEGIN
    IF mentor IS NULL THEN
        RETURN;
    END IF;
    EXECUTE format(
        'SELECT capacity, home_organization_id, home_entry_id FROM %I.institutional_mentorentry WHERE id = $1 FOR UPDATE',
        tenant_schema)
    INTO cap, home_org, home_entry USING mentor;
    IF cap IS NULL THEN  -- EXECUTE does not set FOUND; the capacity is never empty
        RETURN;
    END IF;
    SELECT id INTO this_org FROM public.tenants_organization WHERE schema_name = tenant_schema;

    IF home_org IS NULL THEN
        -- A mentor of this organization: mentees here plus the seats in other organizations.
        EXECUTE format(
            'SELECT count(*) FROM %1$I.institutional_pairmentee pm JOIN %1$I.institutional_pair p ON p.id = pm.pair_id'
            ' WHERE p.mentor_id = $1 AND p.status IN (''approved'', ''active'') AND pm.left_on IS NULL',
            tenant_schema)
        INTO load USING mentor;
        network := 0;
        IF this_org IS NOT NULL THEN
            INSERT INTO public.regional_mentorload
                (organization_id, mentor_entry_id, capacity, local_mentees, network_mentees)
            VALUES (this_org, mentor, cap, load, 0)
            ON CONFLICT (organization_id, mentor_entry_id)
            DO UPDATE SET capacity = EXCLUDED.capacity, local_mentees = EXCLUDED.local_mentees
            RETURNING network_mentees INTO network;
        END IF;
        IF enforce AND load + network > cap THEN
            RAISE EXCEPTION 'mentor_capacity_exceeded: mentor % has % mentees, capacity %', mentor, load + network, cap
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN;
    END IF;

    -- A mentor of another organization: their home ledger row is locked first.
    IF this_org IS NULL THEN
        RETURN;
    END IF;
    SELECT capacity, local_mentees INTO home_cap, v_local FROM public.regional_mentorload
        WHERE organization_id = home_org AND mentor_entry_id = home_entry FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO public.regional_mentorload
            (organization_id, mentor_entry_id, capacity, local_mentees, network_mentees)
        VALUES (home_org, home_entry, cap, 0, 0)
        ON CONFLICT (organization_id, mentor_entry_id) DO NOTHING;
        SELECT capacity, local_mentees INTO home_cap, v_local FROM public.regional_mentorload
            WHERE organization_id = home_org AND mentor_entry_id = home_entry FOR UPDATE;
    END IF;
    -- This organization's seats of the mentor: the current mentees of each of their open pairs here.
    DELETE FROM public.regional_networkseat
        WHERE mentee_organization_id = this_org AND mentor_organization_id = home_org
          AND mentor_entry_id = home_entry;
    EXECUTE format(
        'INSERT INTO public.regional_networkseat'
        ' (mentee_organization_id, pair_id, mentor_organization_id, mentor_entry_id, mentees)'
        ' SELECT $2, p.id, $3, $4, count(*) FROM %1$I.institutional_pair p'
        ' JOIN %1$I.institutional_pairmentee pm ON pm.pair_id = p.id AND pm.left_on IS NULL'
        ' WHERE p.mentor_id = $1 AND p.status IN (''approved'', ''active'') GROUP BY p.id'
        ' ON CONFLICT (mentee_organization_id, pair_id) DO UPDATE SET'
        ' mentor_organization_id = EXCLUDED.mentor_organization_id,'
        ' mentor_entry_id = EXCLUDED.mentor_entry_id, mentees = EXCLUDED.mentees',
        tenant_schema)
    USING mentor, this_org, home_org, home_entry;
    SELECT coalesce(sum(mentees), 0) INTO network FROM public.regional_networkseat
        WHERE mentor_organization_id = home_org AND mentor_entry_id = home_entry;
    UPDATE public.regional_mentorload SET network_mentees = network
        WHERE organization_id = home_org AND mentor_entry_id = home_entry;
    IF enforce AND v_local + network > home_cap THEN
        RAISE EXCEPTION 'mentor_capacity_exceeded: mentor % has % mentees, capacity %',
            mentor, v_local + network, home_cap
            USING ERRCODE = 'check_violation';
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION enforce_mentor_capacity() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    mentor bigint;
    pair_status text;
    enforce boolean;
    call text := format('SELECT %I.recompute_mentor_load($1, $2, $3)', TG_TABLE_SCHEMA);
BEGIN
    IF TG_TABLE_NAME = 'institutional_pair' THEN
        enforce := NEW.status IN ('approved', 'active');
        IF TG_OP = 'UPDATE' AND OLD.mentor_id IS DISTINCT FROM NEW.mentor_id THEN
            EXECUTE call USING OLD.mentor_id, false, TG_TABLE_SCHEMA;
        END IF;
        EXECUTE call USING NEW.mentor_id, enforce, TG_TABLE_SCHEMA;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.pair_id IS DISTINCT FROM NEW.pair_id THEN
        EXECUTE format('SELECT mentor_id FROM %I.institutional_pair WHERE id = $1', TG_TABLE_SCHEMA)
        INTO mentor USING OLD.pair_id;
        EXECUTE call USING mentor, false, TG_TABLE_SCHEMA;
    END IF;
    EXECUTE format('SELECT mentor_id, status FROM %I.institutional_pair WHERE id = $1', TG_TABLE_SCHEMA)
    INTO mentor, pair_status USING NEW.pair_id;
    enforce := coalesce(pair_status IN ('approved', 'active'), false) AND NEW.left_on IS NULL;
    EXECUTE call USING mentor, enforce, TG_TABLE_SCHEMA;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION keep_mentor_capacity() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    this_org bigint;
BEGIN
    IF NEW.home_organization_id IS NOT NULL THEN
        RETURN NULL;
    END IF;
    SELECT id INTO this_org FROM public.tenants_organization WHERE schema_name = TG_TABLE_SCHEMA;
    IF this_org IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO public.regional_mentorload (organization_id, mentor_entry_id, capacity, local_mentees, network_mentees)
    VALUES (this_org, NEW.id, NEW.capacity, 0, 0)
    ON CONFLICT (organization_id, mentor_entry_id) DO UPDATE SET capacity = EXCLUDED.capacity;
    RETURN NULL;
END;
$$;
"""

TRIGGERS = """
DROP TRIGGER IF EXISTS mentorentry_mentor_capacity ON institutional_mentorentry;
CREATE TRIGGER mentorentry_mentor_capacity AFTER INSERT OR UPDATE OF capacity, is_active ON institutional_mentorentry
    FOR EACH ROW EXECUTE FUNCTION keep_mentor_capacity();
"""

# The ledger rows of the entries that exist already (the mentees here; no network pairs yet).
BACKFILL = """
INSERT INTO public.regional_mentorload (organization_id, mentor_entry_id, capacity, local_mentees, network_mentees)
SELECT o.id, e.id, e.capacity,
       (SELECT count(*) FROM institutional_pairmentee pm JOIN institutional_pair p ON p.id = pm.pair_id
         WHERE p.mentor_id = e.id AND p.status IN ('approved', 'active') AND pm.left_on IS NULL),
       0
FROM institutional_mentorentry e
JOIN public.tenants_organization o ON o.schema_name = current_schema()
WHERE e.home_organization_id IS NULL
ON CONFLICT (organization_id, mentor_entry_id)
DO UPDATE SET capacity = EXCLUDED.capacity, local_mentees = EXCLUDED.local_mentees;
"""

# Back to migration 0010's function (same-organization cap only); the ledger rows stay (public data).
REVERSE = r"""
DROP TRIGGER IF EXISTS mentorentry_mentor_capacity ON institutional_mentorentry;
DROP FUNCTION IF EXISTS keep_mentor_capacity();
DROP FUNCTION IF EXISTS recompute_mentor_load(bigint, boolean, text);
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


class Migration(migrations.Migration):
    dependencies = [("institutional", "0017_open_mentoring"), ("regional", "0003_open_mentoring")]

    operations = [migrations.RunSQL(FUNCTION + TRIGGERS + BACKFILL, reverse_sql=REVERSE)]

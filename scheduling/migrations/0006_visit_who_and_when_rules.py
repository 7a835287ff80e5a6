"""PostgreSQL holds who may be booked on a visit and when (the services give the messages).

A trigger on scheduling_visit refuses a visit that is not cancelled and not a correction when

* its team is not its client's team (visit_team_is_client_team);
* it falls after the client's discharge date (visit_not_after_discharge);
* its nurse is not a member of the visit's team on that day, nor of a team covering it that
  day by an accepted arrangement (visit_nurse_member_that_day);
* its nurse is on leave during it (visit_not_during_leave).

"That day" is the visit's start in the app's time zone (Europe/Amsterdam). The rules are
checked when a visit is made, and when its client, team, nurse or times change or it is
un-cancelled; logging or cancelling a visit changes none of those and is not rechecked (a
nurse who has left may still have her past visits logged). A correction copies a checked
visit, so it is not rechecked either.

A trigger on scheduling_leave refuses leave over her booked (planned or started) visits, and
one on clients_client a discharge date with visits (not cancelled) after it: the other sides
of those rules (`client_discharge` first cancels the planned ones, through
CLIENT_DISCHARGED_HOOKS). SQLite (the embedded demo) has none; the services check.
"""

from django.db import migrations

from buurtzorg.migration_ops import PostgresOnlySQL

TRIGGERS = r"""
CREATE OR REPLACE FUNCTION scheduling_visit_who_and_when() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    day date;
    client_team bigint;
    discharged date;
BEGIN
    IF NEW.status = 'cancelled' OR NEW.corrects_id IS NOT NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status <> 'cancelled'
       AND NEW.client_id = OLD.client_id AND NEW.team_id = OLD.team_id
       AND NEW.nurse_id IS NOT DISTINCT FROM OLD.nurse_id
       AND NEW.starts_at = OLD.starts_at AND NEW.ends_at = OLD.ends_at THEN
        RETURN NEW;
    END IF;
    day := (NEW.starts_at AT TIME ZONE 'Europe/Amsterdam')::date;
    SELECT team_id, discharged_on INTO client_team, discharged
    FROM clients_client WHERE id = NEW.client_id;
    IF client_team IS DISTINCT FROM NEW.team_id THEN
        RAISE EXCEPTION 'visit_team_is_client_team: the visit''s team % is not its client''s team %',
            NEW.team_id, client_team USING ERRCODE = 'check_violation';
    END IF;
    IF discharged IS NOT NULL AND day > discharged THEN
        RAISE EXCEPTION 'visit_not_after_discharge: the client was discharged on %, the visit is on %',
            discharged, day USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.nurse_id IS NULL THEN
        RETURN NEW;
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM teams_membership m
        WHERE m.nurse_id = NEW.nurse_id
          AND m.started_on <= day AND (m.ended_on IS NULL OR m.ended_on >= day)
          AND (m.team_id = NEW.team_id OR EXISTS (
              SELECT 1 FROM scheduling_coverarrangement a
              WHERE a.covered_team_id = NEW.team_id AND a.covering_team_id = m.team_id
                AND a.status = 'accepted'
                AND a.valid_from <= day AND (a.valid_until IS NULL OR a.valid_until >= day)))
    ) THEN
        RAISE EXCEPTION 'visit_nurse_member_that_day: nurse % is not a member of team % or of a '
            'team covering it on %', NEW.nurse_id, NEW.team_id, day
            USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (
        SELECT 1 FROM scheduling_leave l
        WHERE l.nurse_id = NEW.nurse_id AND l.starts_at < NEW.ends_at AND l.ends_at > NEW.starts_at
    ) THEN
        RAISE EXCEPTION 'visit_not_during_leave: nurse % is on leave during the visit on %',
            NEW.nurse_id, day USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS visit_who_and_when ON scheduling_visit;
CREATE TRIGGER visit_who_and_when BEFORE INSERT OR UPDATE ON scheduling_visit
    FOR EACH ROW EXECUTE FUNCTION scheduling_visit_who_and_when();

CREATE OR REPLACE FUNCTION scheduling_leave_not_over_visits() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM scheduling_visit v
        WHERE v.nurse_id = NEW.nurse_id AND v.corrects_id IS NULL
          AND v.status IN ('planned', 'in_progress')
          AND v.starts_at < NEW.ends_at AND v.ends_at > NEW.starts_at
    ) THEN
        RAISE EXCEPTION 'visit_not_during_leave: nurse % has booked visits during this leave',
            NEW.nurse_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS leave_not_over_visits ON scheduling_leave;
CREATE TRIGGER leave_not_over_visits BEFORE INSERT OR UPDATE ON scheduling_leave
    FOR EACH ROW EXECUTE FUNCTION scheduling_leave_not_over_visits();

CREATE OR REPLACE FUNCTION scheduling_client_no_visits_after_discharge() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.discharged_on IS NULL OR NEW.discharged_on IS NOT DISTINCT FROM OLD.discharged_on THEN
        RETURN NEW;
    END IF;
    IF EXISTS (
        SELECT 1 FROM scheduling_visit v
        WHERE v.client_id = NEW.id AND v.corrects_id IS NULL AND v.status <> 'cancelled'
          AND v.starts_at >= ((NEW.discharged_on + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
    ) THEN
        RAISE EXCEPTION 'visit_not_after_discharge: client % has visits after %; cancel them first',
            NEW.id, NEW.discharged_on USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS client_no_visits_after_discharge ON clients_client;
CREATE TRIGGER client_no_visits_after_discharge BEFORE UPDATE OF discharged_on ON clients_client
    FOR EACH ROW EXECUTE FUNCTION scheduling_client_no_visits_after_discharge();
"""

DROP = r"""
DROP TRIGGER IF EXISTS client_no_visits_after_discharge ON clients_client;
DROP FUNCTION IF EXISTS scheduling_client_no_visits_after_discharge();
DROP TRIGGER IF EXISTS leave_not_over_visits ON scheduling_leave;
DROP FUNCTION IF EXISTS scheduling_leave_not_over_visits();
DROP TRIGGER IF EXISTS visit_who_and_when ON scheduling_visit;
DROP FUNCTION IF EXISTS scheduling_visit_who_and_when();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0005_cover_arrangement_consent"),
        ("clients", "0003_client_list_indexes"),
        ("teams", "0004_membership_seat_every_day"),
    ]

    operations = [PostgresOnlySQL(sql=TRIGGERS, reverse_sql=DROP)]

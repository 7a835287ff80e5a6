"""`history_erase_client(client_id, problem_ids)`: the one way the app removes history rows.

The app's database role may only SELECT and INSERT change history (buurtzorg/dbroles.py), so
it cannot rewrite or delete what happened. The GDPR erasure must still remove a client's old
snapshots (names, BSN, notes) after the retention period: it calls this function, which runs
as its owner (SECURITY DEFINER, the migration role) and deletes exactly that client's
snapshots, nothing else. Its search_path is fixed, so a caller cannot redirect its table names.
PostgreSQL only; on SQLite the erasure deletes the rows itself (no roles there).
"""

from django.db import migrations

from buurtzorg.migration_ops import PostgresOnlySQL

FUNCTION = r"""
CREATE OR REPLACE FUNCTION history_erase_client(target_client bigint, problem_ids bigint[])
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM history_clientevent WHERE pgh_obj_id = target_client;
    DELETE FROM history_networkcontactevent WHERE client_id = target_client;
    DELETE FROM history_careindicationevent WHERE client_id = target_client;
    DELETE FROM history_visitevent WHERE client_id = target_client;
    DELETE FROM history_clientproblemsignevent WHERE client_problem_id = ANY(problem_ids);
    DELETE FROM history_interventionevent WHERE client_problem_id = ANY(problem_ids);
    DELETE FROM history_outcomeratingevent WHERE client_problem_id = ANY(problem_ids);
END
$$;
REVOKE ALL ON FUNCTION history_erase_client(bigint, bigint[]) FROM PUBLIC;
"""

DROP = "DROP FUNCTION IF EXISTS history_erase_client(bigint, bigint[]);"


class Migration(migrations.Migration):
    dependencies = [("history", "0004_stop_tracking_invoice_lines")]

    operations = [PostgresOnlySQL(sql=FUNCTION, reverse_sql=DROP)]

#!/bin/sh
# Runs once, when the PostgreSQL container starts on an empty data volume (after 10-roles.sh).
# The role the `db-replica` service streams as (pg_basebackup, then the WAL): REPLICATION and
# nothing else; its password comes from the environment. PostgreSQL's `all` in pg_hba.conf does
# not cover replication connections, so it gets its own line (password checked, SCRAM).
# An install whose volume was initialised before this file existed runs it once by hand:
#   docker compose exec -e DB_REPLICATION_PASSWORD db sh /docker-entrypoint-initdb.d/20-replication.sh
# then `docker compose restart db` (README "Production", the read replica).
set -eu
: "${DB_REPLICATION_PASSWORD:?set DB_REPLICATION_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-buurtzorg}" --dbname "${POSTGRES_DB:-buurtzorg}" \
    -v password="$DB_REPLICATION_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE buurtzorg_replicator LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'buurtzorg_replicator') \gexec
SQL
grep -q "^host replication buurtzorg_replicator" "$PGDATA/pg_hba.conf" \
    || echo "host replication buurtzorg_replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"

#!/bin/sh
# Runs once, when the PostgreSQL container starts on an empty data volume (the official image's
# /docker-entrypoint-initdb.d). Creates the two roles the app uses; their passwords come from
# the environment, never from a file:
#   buurtzorg_owner  owns the database and its tables: only `manage.py migrate` connects as it
#   buurtzorg_app    what web, worker and beat connect as; `migrate` grants it what it needs
#                    (manage.py db_grant_app_role): no ownership, no TRUNCATE, and only SELECT
#                    and INSERT on the access log and the change history.
set -eu
: "${DB_OWNER_PASSWORD:?set DB_OWNER_PASSWORD}"
: "${DB_APP_PASSWORD:?set DB_APP_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v owner_password="$DB_OWNER_PASSWORD" -v app_password="$DB_APP_PASSWORD" \
    -v database="$POSTGRES_DB" <<'SQL'
CREATE ROLE buurtzorg_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE buurtzorg_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
ALTER DATABASE :"database" OWNER TO buurtzorg_owner;
-- Nobody but the owner creates objects in the schema (PostgreSQL 15 already revokes this).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL

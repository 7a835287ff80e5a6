#!/bin/sh
# The `db-replica` service (docker-compose.yml): a streaming hot standby of `db` that the app
# reads heavy read-only work from (DATABASE_REPLICA_URL, buurtzorg/dbrouter.py).
# On its first start (an empty volume) it copies `db` with pg_basebackup through the physical
# replication slot `db_replica` (so `db` keeps the WAL the standby has not yet received, up to
# db's max_slot_wal_keep_size) and writes the standby settings (-R). Every start then runs
# PostgreSQL as a hot standby: it replays db's WAL and answers read-only queries. The roles,
# their passwords and pg_hba.conf are db's own, copied with the data.
# To start it afresh (past the WAL cap, or when db got a new data volume): stop it, remove its
# volume (pgdata-replica), start it.
set -eu
: "${DB_REPLICATION_PASSWORD:?set DB_REPLICATION_PASSWORD}"
export PGPASSWORD="$DB_REPLICATION_PASSWORD"  # also for the standby's own connection to db
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until pg_isready -q -h db -p 5432; do sleep 2; done
    copy() {
        find "$PGDATA" -mindepth 1 -delete
        pg_basebackup -h db -p 5432 -U buurtzorg_replicator -D "$PGDATA" \
            -R -X stream -c fast --slot=db_replica "$@"
    }
    # the slot is made with the first copy; a later fresh copy reuses it
    copy --create-slot || copy
    chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on

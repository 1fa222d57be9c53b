#!/usr/bin/env bash
# Start a throw-away Postgres for storydesk's tests and print its URL.
#
#   export STORYDESK_TEST_PG_URL=$(sudo scripts/start-postgres.sh | tail -n1)
#   .venv/bin/pytest tests/store/test_postgres.py
#
# Debian/Ubuntu, as root: installs the `postgresql` package if missing, creates a cluster in a data
# folder (default /tmp/storydesk-pg, override with PGDATA_DIR) owned by the postgres user, listening on
# 127.0.0.1 only (port 55432, override with PGPORT_TEST), with trust authentication for local
# connections, creates the database storydesk_test, and prints
#   postgresql+psycopg://postgres@127.0.0.1:55432/storydesk_test
# Run it again: it reuses a running cluster. Stop: su postgres -c "pg_ctl -D $PGDATA_DIR stop".
set -euo pipefail

PORT="${PGPORT_TEST:-55432}"
DATA="${PGDATA_DIR:-/tmp/storydesk-pg}"
DB="storydesk_test"

if [ "$(id -u)" -ne 0 ]; then
    echo "start-postgres.sh: run as root (it may install packages and switch to the postgres user)" >&2
    exit 1
fi

find_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
    [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

BIN="$(find_bin || true)"
if [ -z "$BIN" ]; then
    echo "installing postgresql with apt-get…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    BIN="$(find_bin)"
fi

as_pg() { su postgres -s /bin/bash -c "$*"; }

mkdir -p "$DATA"
chown postgres:postgres "$DATA"
chmod 700 "$DATA"

if [ ! -s "$DATA/PG_VERSION" ]; then
    as_pg "'$BIN/initdb' -D '$DATA' -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8" >&2
fi

if ! as_pg "'$BIN/pg_ctl' -D '$DATA' status" >/dev/null 2>&1; then
    as_pg "'$BIN/pg_ctl' -D '$DATA' -l '$DATA/server.log' -w -t 60 start \
        -o \"-c listen_addresses=127.0.0.1 -p $PORT -k '$DATA' -c fsync=off\"" >&2
fi

PSQL=("$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
if [ "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
    "${PSQL[@]}" -c "CREATE DATABASE $DB" >&2
fi

echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"

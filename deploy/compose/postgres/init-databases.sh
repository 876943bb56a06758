#!/bin/sh
# Runs once, on the first start of the postgres container (empty data volume), from
# /docker-entrypoint-initdb.d: one login role and one database per service, each owned by
# its role, so no service can read another's tables. Passwords come from the environment
# (deploy/compose/.env); nothing is written here.
set -eu

for service in intake review supervision tracking; do
    var="$(echo "$service" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
    password="$(printenv "$var" || true)"
    if [ -z "$password" ]; then
        echo "init-databases: $var is not set" >&2
        exit 1
    fi
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v role="$service" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"role" TO :"role";
-- Lets the outbox relay see which database an in-flight transaction belongs to, so another
-- service's long transaction on this shared server does not hold back its events (without
-- it the relay waits for every transaction on the server: safe, slower). It also shows
-- other sessions' statements in pg_stat_activity, never their tables' rows.
GRANT pg_read_all_stats TO :"role";
SQL
    echo "init-databases: database and role $service created"
done

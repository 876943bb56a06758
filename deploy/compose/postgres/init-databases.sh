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
SQL
    echo "init-databases: database and role $service created"
done

#!/bin/bash
# Postgres "initdb" hook (docker-compose.yml), run once, when the data volume is new: the two roles
# the API uses, as an operator makes them on a managed Postgres (README, "Docker" and "Database roles").
#   orders_owner    owns the database and its tables; `npm run migrate` connects as it
#   orders_service  what the API connects as; it owns nothing, and the migrator grants it only what
#                   it needs (src/database/service-role.ts): on audit_events, INSERT and SELECT
# The passwords come from the compose file (development values, like POSTGRES_PASSWORD).
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v database="$POSTGRES_DB" -v owner_password="$ORDERS_OWNER_PASSWORD" -v service_password="$ORDERS_SERVICE_PASSWORD" <<'SQL'
CREATE ROLE orders_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE orders_service LOGIN PASSWORD :'service_password';
-- The owner of the database owns its public schema too (Postgres 15+), so it can create the tables.
ALTER DATABASE :"database" OWNER TO orders_owner;
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"database" TO orders_service;
SQL
echo "Created roles orders_owner and orders_service"

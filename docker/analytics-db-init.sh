#!/bin/bash
# First start of analytics-db only (docker-entrypoint-initdb.d): the role the pipeline uses.
# It owns the customer_care database and its public schema; it is no superuser and cannot
# create roles or databases. The password comes from CCA_DB_PASSWORD (.env), bound as a psql
# variable, never pasted into SQL text.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v role="$CCA_DB_USER" -v password="$CCA_DB_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
ALTER DATABASE :"db" OWNER TO :"role";
ALTER SCHEMA public OWNER TO :"role";
SQL

#!/usr/bin/env bash
# The seed's workflow: write data/synthetic_data_<size>.sql with an exact number of interactions.
#   scripts/generate_data.sh small|medium|large|xlarge [extra generator flags, e.g. --end-date 2026-03-31]
# Sizes: small=1,000 medium=5,000 large=20,000 xlarge=50,000 interactions over 30 days.
# Prints the file's path as its last line. Load it with psql after the schema and reference data:
#   make psql PSQL_ARGS="-v ON_ERROR_STOP=1 -f include/sql/00_schema.sql \
#        -f include/sql/01_baseline_data.sql -f data/synthetic_data_small.sql"
# then `.venv/bin/cca summaries rebuild` for the analytics tables.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
size=${1:-}
case "$size" in
  small|medium|large|xlarge) ;;
  *) echo "error: size must be one of small, medium, large, xlarge (got '${size}')" >&2; exit 2 ;;
esac
shift
[ -x "$root/.venv/bin/python" ] || make -C "$root" -s venv >&2
cd "$root"
exec "$root/.venv/bin/python" -m devtools generate --size "$size" \
  --output "data/synthetic_data_${size}.sql" "$@"

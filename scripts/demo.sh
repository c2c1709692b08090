#!/usr/bin/env bash
# Run the coodie demo against a real node (COODIE_TEST_HOSTS, Docker ScyllaDB, or a local
# Apache Cassandra 5.0 that this script starts and stops). COODIE_DRIVER picks the driver.
#
#   bash scripts/demo.sh           quick start, then the Product Catalog API on
#                                  http://127.0.0.1:8000 (seeded; docs at /docs) until Ctrl-C
#   bash scripts/demo.sh --check   the same, but start the API in the background, exercise
#                                  its endpoints, stop it and exit (for CI); DEMO_CHECK=1 too
#
# DEMO_HOST / DEMO_PORT change where the API listens; COODIE_KEYSPACE where the catalog lives.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

check="$(demo_check_flag scripts/demo.sh "$@")"
host="${DEMO_HOST:-127.0.0.1}"
port="${DEMO_PORT:-8000}"
demo_connect

echo "== quick start (examples/quickstart.py)" >&2
uv run python examples/quickstart.py

echo "== Product Catalog API: schema and sample data" >&2
uv run python -m coodie_demo seed

serve_or_check_demo coodie_demo "the Product Catalog API (OpenAPI docs at /docs)" "$host" "$port" "$check"

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

check="${DEMO_CHECK:-}"
for arg in "$@"; do
    case "$arg" in
        --check) check=1 ;;
        *) echo "usage: bash scripts/demo.sh [--check]" >&2; exit 2 ;;
    esac
done
host="${DEMO_HOST:-127.0.0.1}"
port="${DEMO_PORT:-8000}"

ensure_uv
uv sync --locked --all-packages
start_node_unless_given
export COODIE_HOSTS="${COODIE_HOSTS:-$COODIE_TEST_HOSTS}"

echo "== quick start (examples/quickstart.py)" >&2
uv run python examples/quickstart.py

echo "== Product Catalog API: schema and sample data" >&2
uv run python -m coodie_demo seed

if [ -z "$check" ]; then
    echo "== serving http://$host:$port  (OpenAPI docs: http://$host:$port/docs; Ctrl-C stops)" >&2
    uv run python -m coodie_demo serve --host "$host" --port "$port"
    exit 0
fi

echo "== check: start the API, call its endpoints, stop it" >&2
uv run python -m coodie_demo serve --host "$host" --port "$port" &
server=$!
stop_server() {
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
}
trap 'stop_server; stop_started_node' EXIT
uv run python -m coodie_demo check --url "http://$host:$port"

#!/usr/bin/env bash
# Run the Flask task-board demo (demo-flask/, coodie's sync API) against a real node
# (COODIE_TEST_HOSTS, Docker ScyllaDB, or a local Apache Cassandra 5.0 that this script starts
# and stops). COODIE_DRIVER picks the driver.
#
#   bash scripts/demo-flask.sh           serve the board on http://127.0.0.1:8001 until Ctrl-C
#   bash scripts/demo-flask.sh --check   start it in the background, exercise its endpoints,
#                                        stop it and exit (for CI); DEMO_CHECK=1 too
#
# DEMO_HOST / DEMO_FLASK_PORT change where it listens; COODIE_KEYSPACE where the board lives.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

check="${DEMO_CHECK:-}"
for arg in "$@"; do
    case "$arg" in
        --check) check=1 ;;
        *) echo "usage: bash scripts/demo-flask.sh [--check]" >&2; exit 2 ;;
    esac
done
host="${DEMO_HOST:-127.0.0.1}"
port="${DEMO_FLASK_PORT:-8001}"

ensure_uv
uv sync --locked --all-packages
start_node_unless_given
export COODIE_HOSTS="${COODIE_HOSTS:-$COODIE_TEST_HOSTS}"

if [ -z "$check" ]; then
    echo "== serving the task board on http://$host:$port (Ctrl-C stops)" >&2
    uv run python -m coodie_flask_demo serve --host "$host" --port "$port"
    exit 0
fi

echo "== check: start the Flask board, call its endpoints, stop it" >&2
uv run python -m coodie_flask_demo serve --host "$host" --port "$port" &
server=$!
stop_server() {
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
}
trap 'stop_server; stop_started_node' EXIT
uv run python -m coodie_flask_demo check --url "http://$host:$port"

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

check="$(demo_check_flag scripts/demo-flask.sh "$@")"
host="${DEMO_HOST:-127.0.0.1}"
port="${DEMO_FLASK_PORT:-8001}"
demo_connect
serve_or_check_demo coodie_flask_demo "the Flask task board" "$host" "$port" "$check"

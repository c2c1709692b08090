#!/usr/bin/env bash
# Run the coodie demo against a real node (COODIE_TEST_HOSTS, Docker ScyllaDB, or a local
# Apache Cassandra 5.0 that this script starts and stops). COODIE_DRIVER picks the driver.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_uv
uv sync --locked --all-packages
start_node_unless_given
uv run python examples/quickstart.py

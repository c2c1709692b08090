#!/usr/bin/env bash
# Run the whole test suite (unit + integration) against a real node.
#
# Node: COODIE_TEST_HOSTS if set; otherwise the pytest-coodie launcher (ScyllaDB in Docker
# when a daemon answers, else a local Apache Cassandra 5.0 started from Maven Central jars).
# A second, password-checking node (for the wrong-password tests) is started the same way
# unless COODIE_TEST_AUTH_HOSTS names one. Nodes this script started are stopped on exit,
# whatever the tests did.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_uv
uv sync --locked --all-packages
start_node_unless_given
start_auth_node_unless_given

uv run pytest -m "integration or not integration" "$@"

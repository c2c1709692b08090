# Shared shell helpers for scripts/*.sh and .ci/run (sourced, not executed).

ensure_uv() {
    if ! command -v uv >/dev/null 2>&1; then
        echo "uv not found; installing it with pip" >&2
        python3 -m pip install --quiet uv || python3 -m pip install --quiet --user uv
        export PATH="$HOME/.local/bin:$PATH"
    fi
}

ensure_jdk_and_maven() {
    # The local Cassandra node needs JDK 17 (or 11) and Maven; install them on Debian/Ubuntu
    # when missing and we are root. Elsewhere the launcher explains what to install.
    if command -v mvn >/dev/null 2>&1 && ls /usr/lib/jvm/java-17-openjdk-* >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
    fi
}

use_ci_node() {
    # CI's node listens on a non-default CQL port (19042), so every run proves that coodie
    # reaches a node on any port; its own state file keeps it apart from a developer's node
    # on 9042. Each setting can still be overridden from the environment.
    export COODIE_CASSANDRA_PORT="${COODIE_CASSANDRA_PORT:-19042}"
    export COODIE_CASSANDRA_STORAGE_PORT="${COODIE_CASSANDRA_STORAGE_PORT:-17000}"
    local cache="${COODIE_CASSANDRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coodie}"
    export COODIE_STATE_FILE="${COODIE_STATE_FILE:-$cache/ci-node-state.json}"
}

_coodie_node_started=""
_coodie_auth_node_started=""

stop_started_node() {
    # One EXIT trap for both nodes: a second `trap` would replace the first.
    if [ -n "$_coodie_auth_node_started" ]; then
        auth_node_cli stop >&2 || true
    fi
    if [ -n "$_coodie_node_started" ]; then
        uv run python -m pytest_coodie stop >&2 || true
    fi
}

auth_node_cli() {
    # The second node, with PasswordAuthenticator: its own CQL/storage ports, state file
    # (so `stop` finds the right JVM) and a small heap (it only answers logins). Not
    # COODIE_TEST_HOSTS: the launcher would take those hosts instead of starting a node.
    local cache="${COODIE_CASSANDRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coodie}"
    env -u COODIE_TEST_HOSTS COODIE_BACKEND=local \
        COODIE_CASSANDRA_PORT="${COODIE_AUTH_PORT:-19142}" \
        COODIE_CASSANDRA_STORAGE_PORT="${COODIE_AUTH_STORAGE_PORT:-17100}" \
        COODIE_CASSANDRA_HEAP="${COODIE_AUTH_HEAP:-512M}" \
        COODIE_STATE_FILE="${COODIE_AUTH_STATE_FILE:-$cache/ci-auth-node-state.json}" \
        uv run python -m pytest_coodie "$@"
}

start_auth_node_unless_given() {
    # The wrong-password conformance test needs a node that checks passwords; CI runs it
    # (COODIE_REQUIRE_AUTH_NODE turns its skip into a failure).
    export COODIE_REQUIRE_AUTH_NODE=1
    if [ -n "${COODIE_TEST_AUTH_HOSTS:-}" ]; then
        echo "using COODIE_TEST_AUTH_HOSTS=$COODIE_TEST_AUTH_HOSTS" >&2
        return 0
    fi
    if auth_node_cli status >/dev/null 2>&1; then
        echo "reusing the auth node that is already running" >&2
    else
        ensure_jdk_and_maven
        _coodie_auth_node_started=1
        trap stop_started_node EXIT
    fi
    local started=$SECONDS
    COODIE_TEST_AUTH_HOSTS="$(auth_node_cli start --auth cassandra:cassandra)"
    export COODIE_TEST_AUTH_HOSTS
    echo "auth node ready at $COODIE_TEST_AUTH_HOSTS after $((SECONDS - started)) s" >&2
}

start_node_unless_given() {
    if [ -n "${COODIE_TEST_HOSTS:-}" ]; then
        echo "using COODIE_TEST_HOSTS=$COODIE_TEST_HOSTS" >&2
        return 0
    fi
    if uv run python -m pytest_coodie status >/dev/null 2>&1; then
        echo "reusing the node that is already running" >&2
    else
        ensure_jdk_and_maven
        _coodie_node_started=1
        trap stop_started_node EXIT
    fi
    local started=$SECONDS
    COODIE_TEST_HOSTS="$(uv run python -m pytest_coodie start)"
    export COODIE_TEST_HOSTS
    echo "node ready at $COODIE_TEST_HOSTS after $((SECONDS - started)) s" >&2
}

demo_check_flag() {
    # Prints 1 when the demo script was asked for --check (or DEMO_CHECK is set); exits 2 on
    # any other argument. Usage: check="$(demo_check_flag SCRIPT "$@")".
    local script="$1" check="${DEMO_CHECK:-}"
    shift
    for arg in "$@"; do
        case "$arg" in
            --check) check=1 ;;
            *) echo "usage: bash $script [--check]" >&2; exit 2 ;;
        esac
    done
    echo "$check"
}

demo_connect() {
    # The project installed and a node to talk to (COODIE_TEST_HOSTS, a running one, or a
    # local node this script starts and stops on exit); the demo reads COODIE_HOSTS.
    ensure_uv
    uv sync --locked --all-packages
    start_node_unless_given
    export COODIE_HOSTS="${COODIE_HOSTS:-$COODIE_TEST_HOSTS}"
}

serve_or_check_demo() {
    # Serve a demo app (python -m MODULE serve) until Ctrl-C or, with CHECK set, start it in
    # the background, run its own endpoint check (MODULE check) against it and stop it.
    local module="$1" what="$2" host="$3" port="$4" check="$5"
    if [ -z "$check" ]; then
        echo "== serving $what on http://$host:$port (Ctrl-C stops)" >&2
        uv run python -m "$module" serve --host "$host" --port "$port"
        return 0
    fi
    echo "== check: start $what, call its endpoints, stop it" >&2
    uv run python -m "$module" serve --host "$host" --port "$port" &
    _coodie_demo_server=$!
    trap '_stop_demo_server; stop_started_node' EXIT
    uv run python -m "$module" check --url "http://$host:$port"
}

_stop_demo_server() {
    kill -TERM "$_coodie_demo_server" 2>/dev/null || true
    wait "$_coodie_demo_server" 2>/dev/null || true
}

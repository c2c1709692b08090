#!/usr/bin/env bash
# Run the unit tests on every supported Python, and the integration tests on the oldest and
# the newest, against the node in COODIE_TEST_HOSTS (start one first, as .ci/run does).
# Each version gets its own environment (.venvs/pyX.Y) synced from uv.lock.
# A supported version with no interpreter on this machine is a failure, named in the summary.
#
#   COODIE_TEST_HOSTS=127.0.0.1:9042 bash scripts/test-pythons.sh
#   COODIE_PYTHONS="3.10 3.13" bash scripts/test-pythons.sh   # a subset
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source scripts/pythons.sh
ensure_uv

versions=(${COODIE_PYTHONS:-$SUPPORTED_PYTHONS})
oldest=${versions[0]}
newest=${versions[${#versions[@]} - 1]}
summary=()
failed=0

for version in "${versions[@]}"; do
    if ! python=$(python_for "$version"); then
        summary+=("$version  MISSING: no interpreter found (pyenv, PATH, Debian packages)")
        failed=1
        continue
    fi
    env_dir=".venvs/py$version"
    markers="not integration"
    what="unit"
    if [ "$version" = "$oldest" ] || [ "$version" = "$newest" ]; then
        if [ -z "${COODIE_TEST_HOSTS:-}" ]; then
            echo "COODIE_TEST_HOSTS is not set: start a node first (see .ci/run)" >&2
            exit 2
        fi
        markers="integration or not integration"
        what="unit + integration"
    fi
    echo "== Python $version ($python): $what tests"
    export UV_PROJECT_ENVIRONMENT="$env_dir"
    uv sync --quiet --locked --all-packages --python "$python"
    started=$SECONDS
    if uv run --no-sync pytest -q -p no:cacheprovider -m "$markers" >"$env_dir/pytest.log" 2>&1; then
        summary+=("$version  ok ($what): $(tail -n 1 "$env_dir/pytest.log") [$((SECONDS - started)) s]")
    else
        tail -n 40 "$env_dir/pytest.log"
        summary+=("$version  FAILED ($what): $(tail -n 1 "$env_dir/pytest.log")")
        failed=1
    fi
    unset UV_PROJECT_ENVIRONMENT
done

echo "== Python versions"
printf '%s\n' "${summary[@]}"
exit "$failed"

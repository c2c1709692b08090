#!/usr/bin/env bash
# Build every workspace package with `uv build` and install the wheels into clean virtual
# environments: coodie-core alone, then the meta-package with each driver extra.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_uv

dist=$(mktemp -d)
trap 'rm -rf "$dist"' EXIT
for package in coodie-core coodie coodie-driver-cassandra coodie-driver-acsylla pytest-coodie; do
    uv build --quiet --package "$package" --no-sources --out-dir "$dist"
done
ls "$dist"

smoke() {  # smoke NAME REQUIREMENT PYTHON_CODE
    local venv="$dist/venv-$1"
    uv venv --quiet "$venv"
    uv pip install --quiet --python "$venv/bin/python" --find-links "$dist" "$2"
    "$venv/bin/python" -c "$3"
}

# Pin our version: the name `coodie` on PyPI also has unrelated older releases.
version=$(sed -n 's/^version = "\(.*\)"/\1/p' packages/coodie/pyproject.toml)
smoke core "coodie-core==$version" "from coodie.sync import Document; import coodie.aio; print('coodie-core wheel OK')"
for extra in cassandra acsylla; do
    smoke "$extra" "coodie[$extra]==$version" "import coodie.sync, coodie.aio"
    listing=$("$dist/venv-$extra/bin/python" -m coodie drivers) || {
        echo "$listing"
        echo "python -m coodie drivers reported a broken plugin" >&2
        exit 1
    }
    echo "$listing"
    grep -q "^$extra " <<<"$listing" || { echo "driver $extra not listed" >&2; exit 1; }
done
echo "wheels OK"

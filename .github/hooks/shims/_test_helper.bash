# shellcheck shell=bash
# shellcheck disable=SC2154 # status, output and stderr are set by bats `run`
# Shared fixtures of the shim tests (*.bats beside this file and ../setup-shims.bats).
#
# Nothing here touches the machine: every test gets, under $BATS_TEST_TMPDIR,
#   stubs/    fake "real" python, python3, pip, pip3, pipx and uv that only print their
#             arguments as `real-NAME [arg] [arg] ...`
#   sysbin/   symlinks to bash and grep, the only system tools the shims need
#   proj/     a uv project ([tool.uv] in pyproject.toml) with a workspace member in
#             proj/packages/member (a pyproject.toml without [tool.uv])
#   lockonly/ a directory holding only uv.lock
#   ws/, idx/ pyproject.toml with only [tool.uv.workspace] / only [[tool.uv.index]]
#   plain/    a pyproject.toml without any [tool.uv] table (e.g. a Poetry project)
#   outside/  no project at all
# and SHIM_PATH = shims:stubs:sysbin, so a passed-through command can only reach a stub.

bats_require_minimum_version 1.5.0

HOOKS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHIMS_DIR=$HOOKS_DIR/shims

make_stub() { # make_stub DIR NAME
    mkdir -p "$1"
    # shellcheck disable=SC2016 # the stub's own "$@" / "$a", expanded when the stub runs
    printf '#!/bin/sh\nprintf "real-%s"\nfor a in "$@"; do printf " [%%s]" "$a"; done\necho\n' \
        "$2" >"$1/$2"
    chmod +x "$1/$2"
}

common_setup() {
    T=$BATS_TEST_TMPDIR
    STUBS=$T/stubs
    SYSBIN=$T/sysbin
    local name tool
    for name in python python3 pip pip3 pipx uv; do
        make_stub "$STUBS" "$name"
    done
    mkdir -p "$SYSBIN"
    for tool in bash grep; do
        ln -s "$(command -v "$tool")" "$SYSBIN/$tool"
    done
    SHIM_PATH=$SHIMS_DIR:$STUBS:$SYSBIN

    mkdir -p "$T/proj/packages/member" "$T/lockonly" "$T/ws" "$T/idx" "$T/plain" "$T/outside"
    printf '[project]\nname = "proj"\nversion = "0"\n\n[tool.uv]\npackage = false\n' \
        >"$T/proj/pyproject.toml"
    printf '[project]\nname = "member"\nversion = "0"\n' >"$T/proj/packages/member/pyproject.toml"
    : >"$T/lockonly/uv.lock"
    printf '[tool.uv.workspace]\nmembers = ["packages/*"]\n' >"$T/ws/pyproject.toml"
    printf '[project]\nname = "idx"\n\n[[tool.uv.index]]\nurl = "https://example.invalid"\n' \
        >"$T/idx/pyproject.toml"
    printf '[tool.poetry]\nname = "plain"\n' >"$T/plain/pyproject.toml"

    # The fixtures only mean something if the temp dir itself is not inside a uv project.
    local dir=$T
    while :; do
        if [ -f "${dir:-/}/uv.lock" ] || grep -qs 'tool\.uv' "$dir/pyproject.toml"; then
            echo "BATS_TEST_TMPDIR ($T) is inside a uv project (${dir:-/}): set TMPDIR elsewhere" >&2
            return 1
        fi
        [ -z "$dir" ] && break
        dir=${dir%/*}
    done
}

# in_dir DIR CMD ARGS...: run CMD in DIR with PATH=$SHIM_PATH (plus any VAR=value already
# exported by the test).
in_dir() {
    local dir=$1
    shift
    (cd "$dir" && PATH=$SHIM_PATH "$@")
}

# Assertions on the result of `run --separate-stderr`.
assert_passed() { # assert_passed EXPECTED_STDOUT
    if [ "$status" -ne 0 ] || [ "$output" != "$1" ]; then
        printf 'expected exit 0 and stdout:\n  %s\ngot exit %s, stdout:\n  %s\nstderr:\n%s\n' \
            "$1" "$status" "$output" "${stderr-}" >&2
        return 1
    fi
}

assert_blocked() { # assert_blocked EXPECTED_STDERR_SUBSTRING...
    if [ "$status" -ne 1 ] || [ -n "$output" ]; then
        printf 'expected exit 1 and empty stdout, got exit %s, stdout:\n  %s\nstderr:\n%s\n' \
            "$status" "$output" "${stderr-}" >&2
        return 1
    fi
    local want
    for want in "coodie: blocked" "COODIE_SHIMS_OFF=1" "$@"; do
        if [[ "$stderr" != *"$want"* ]]; then
            printf 'stderr lacks: %s\nstderr was:\n%s\n' "$want" "$stderr" >&2
            return 1
        fi
    done
}

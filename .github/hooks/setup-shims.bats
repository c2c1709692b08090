# setup-shims.sh: sourced (this shell), executed in GitHub Actions (GITHUB_PATH), executed
# elsewhere (prints an export line), and a no-op without uv. PATH is always a temp one made
# of stubs, so the machine's real uv / python are never involved.
# shellcheck disable=SC2016,SC2154,SC2030,SC2031,SC2034 # literal $ in bash -c programs; bats sets
# status/stderr and runs each test in its own subshell (exports there are meant to be local)

load shims/_test_helper

setup() {
    common_setup
    SETUP=$HOOKS_DIR/setup-shims.sh
    BASE_PATH=$STUBS:$SYSBIN # a real-looking uv (the stub), no shims yet
}

# with_path PATH CMD...: run CMD with exactly that PATH.
with_path() {
    local path=$1
    shift
    PATH=$path "$@"
}

@test "sourced: the shims come first on PATH and take over python" {
    run --separate-stderr with_path "$BASE_PATH" "$BASH" -c \
        'source "$1" && printf "%s\n" "$PATH" && type -P python' _ "$SETUP"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "$SHIMS_DIR:$BASE_PATH" ]
    [ "${lines[1]}" = "$SHIMS_DIR/python" ]
    [[ "$stderr" == *"on PATH for this shell"* ]]
}

@test "sourced twice: the shims are on PATH once" {
    run --separate-stderr with_path "$BASE_PATH" "$BASH" -c \
        'source "$1"; source "$1"; printf "%s\n" "$PATH"' _ "$SETUP"
    [ "$status" -eq 0 ]
    [ "$output" = "$SHIMS_DIR:$BASE_PATH" ]
}

@test "sourced under set -eu: the shell keeps running" {
    run --separate-stderr with_path "$BASE_PATH" "$BASH" -c \
        'set -eu; source "$1"; echo still-here' _ "$SETUP"
    [ "$status" -eq 0 ]
    [ "$output" = still-here ]
}

@test "sourced, then the shims work end to end" {
    cd "$T/proj"
    run --separate-stderr with_path "$BASE_PATH" "$BASH" -c \
        'source "$1" 2>/dev/null; pip install requests' _ "$SETUP"
    assert_blocked "uv add requests"
}

@test "executed in GitHub Actions: the shims dir is appended to GITHUB_PATH once" {
    export GITHUB_PATH=$T/github_path
    printf '/already/there\n' >"$GITHUB_PATH"
    run --separate-stderr with_path "$BASE_PATH" "$BASH" "$SETUP"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    [[ "$stderr" == *"added to GITHUB_PATH"* ]]
    run --separate-stderr with_path "$BASE_PATH" "$BASH" "$SETUP"
    [ "$status" -eq 0 ]
    [ "$(cat "$GITHUB_PATH")" = "$(printf '/already/there\n%s' "$SHIMS_DIR")" ]
}

@test "executed in GitHub Actions: a later step (PATH from GITHUB_PATH) is steered" {
    export GITHUB_PATH=$T/github_path
    with_path "$BASE_PATH" "$BASH" "$SETUP" 2>/dev/null
    # what the runner does before the next step: prepend GITHUB_PATH entries
    SHIM_PATH="$(cat "$GITHUB_PATH"):$BASE_PATH"
    run --separate-stderr in_dir "$T/proj" pipx run ruff
    assert_blocked "uvx ruff"
    run --separate-stderr in_dir "$T/proj" python -c 1
    assert_passed 'real-python [-c] [1]'
}

@test "executed outside Actions: prints an export line that eval applies" {
    run --separate-stderr with_path "$BASE_PATH" "$BASH" "$SETUP"
    [ "$status" -eq 0 ]
    [ "$output" = "export PATH=$SHIMS_DIR:\"\$PATH\"" ]
    [[ "$stderr" == *"eval"* ]]
    run --separate-stderr with_path "$BASE_PATH" "$BASH" -c \
        'eval "$("$BASH" "$1" 2>/dev/null)"; printf "%s\n" "$PATH"' _ "$SETUP"
    [ "$output" = "$SHIMS_DIR:$BASE_PATH" ]
}

@test "executed by a relative path from the hooks directory works too" {
    cd "$HOOKS_DIR"
    run --separate-stderr with_path "$BASE_PATH" "$BASH" setup-shims.sh
    [ "$status" -eq 0 ]
    [ "$output" = "export PATH=$SHIMS_DIR:\"\$PATH\"" ]
}

@test "no uv: nothing changes, exit 0, a note on stderr" {
    rm "$STUBS/uv"
    export GITHUB_PATH=$T/github_path
    : >"$GITHUB_PATH"
    run --separate-stderr with_path "$BASE_PATH" "$BASH" -c \
        'source "$1"; printf "%s\n" "$PATH"' _ "$SETUP"
    [ "$status" -eq 0 ]
    [ "$output" = "$BASE_PATH" ]
    [[ "$stderr" == *"uv is not installed"* ]]
    run --separate-stderr with_path "$BASE_PATH" "$BASH" "$SETUP"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    [ ! -s "$GITHUB_PATH" ]
}

@test "a uv that is itself a shim does not count as uv" {
    rm "$STUBS/uv"
    run --separate-stderr with_path "$SHIMS_DIR:$BASE_PATH" "$BASH" "$SETUP"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    [[ "$stderr" == *"uv is not installed"* ]]
}

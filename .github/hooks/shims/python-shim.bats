# The python / python3 shim: what passes through to the real interpreter and what is steered
# to `uv run`. Also the parts of _common.sh every shim shares (project detection, the escape
# hatch, finding the real command without recursion).
# shellcheck disable=SC2016,SC2154 # literal $ in bash -c programs; bats sets status/stderr

load _test_helper

setup() {
    common_setup
}

# --- passes through -----------------------------------------------------------------------

@test "python -c passes through inside the project, arguments intact" {
    run --separate-stderr in_dir "$T/proj" python -c 'print("a b")'
    assert_passed 'real-python [-c] [print("a b")]'
}

@test "python3 is the same shim and execs the real python3 (uv's interpreter probe)" {
    [ -L "$SHIMS_DIR/python3" ]
    run --separate-stderr in_dir "$T/proj" python3 -I -B -c 'import sys'
    assert_passed 'real-python3 [-I] [-B] [-c] [import sys]'
}

@test "bundled short options ending in c pass through" {
    run --separate-stderr in_dir "$T/proj" python -IBc 'pass'
    assert_passed 'real-python [-IBc] [pass]'
}

@test "python -m MODULE passes through, also with the module glued to -m" {
    run --separate-stderr in_dir "$T/proj" python -m pytest -q
    assert_passed 'real-python [-m] [pytest] [-q]'
    run --separate-stderr in_dir "$T/proj" python -Impytest
    assert_passed 'real-python [-Impytest]'
}

@test "python -m pip follows the pip rules: read-only subcommands pass" {
    run --separate-stderr in_dir "$T/proj" python -m pip list
    assert_passed 'real-python [-m] [pip] [list]'
}

@test "python -m pip install is blocked like pip install" {
    run --separate-stderr in_dir "$T/proj" python3 -m pip install requests
    assert_blocked "python3 -m pip install requests" "uv add requests"
}

@test "python -m pipx run is blocked like pipx run" {
    run --separate-stderr in_dir "$T/proj" python -m pipx run ruff
    assert_blocked "python -m pipx run ruff" "uvx ruff"
}

@test "python - (program on stdin) passes through" {
    run --separate-stderr in_dir "$T/proj" python - </dev/null
    assert_passed 'real-python [-]'
}

@test "python --version, -V and -h pass through" {
    run --separate-stderr in_dir "$T/proj" python --version
    assert_passed 'real-python [--version]'
    run --separate-stderr in_dir "$T/proj" python -V
    assert_passed 'real-python [-V]'
    run --separate-stderr in_dir "$T/proj" python -h
    assert_passed 'real-python [-h]'
}

@test "bare python with stdin not a terminal passes through (a program is piped in)" {
    run --separate-stderr in_dir "$T/proj" python </dev/null
    assert_passed 'real-python'
}

@test "a script with a shebang started as ./script passes through" {
    printf '#!/usr/bin/env python3\nprint("hi")\n' >"$T/proj/tool.py"
    chmod +x "$T/proj/tool.py"
    run --separate-stderr in_dir "$T/proj" ./tool.py --flag
    assert_passed 'real-python3 [./tool.py] [--flag]'
}

@test "python FILE passes through when FILE starts with a shebang" {
    printf '#!/usr/bin/env python3\n' >"$T/proj/tool.py"
    run --separate-stderr in_dir "$T/proj" python tool.py
    assert_passed 'real-python [tool.py]'
}

@test "python script.py outside a uv project passes through" {
    printf 'print(1)\n' >"$T/outside/s.py"
    run --separate-stderr in_dir "$T/outside" python s.py
    assert_passed 'real-python [s.py]'
}

@test "a pyproject.toml without [tool.uv] is not a uv project" {
    printf 'print(1)\n' >"$T/plain/s.py"
    run --separate-stderr in_dir "$T/plain" python s.py
    assert_passed 'real-python [s.py]'
}

# --- blocked inside a uv project -----------------------------------------------------------

@test "python script.py in the project is blocked and points at uv run" {
    printf 'print(1)\n' >"$T/proj/s.py"
    run --separate-stderr in_dir "$T/proj" python s.py arg
    assert_blocked "python s.py arg" "uv run python s.py arg" "$T/proj is a uv project"
    [[ "$stderr" == *"uv-commands.instructions.md"* ]]
}

@test "interpreter options before the script are skipped, -W/-X values included" {
    printf 'print(1)\n' >"$T/proj/s.py"
    run --separate-stderr in_dir "$T/proj" python -W ignore -Xdev -u s.py
    assert_blocked "uv run python -W ignore -Xdev -u s.py"
    run --separate-stderr in_dir "$T/proj" python --check-hash-based-pycs never -- s.py
    assert_blocked "uv run python --check-hash-based-pycs never -- s.py"
}

@test "a script that does not exist is treated like any script" {
    run --separate-stderr in_dir "$T/proj" python missing.py
    assert_blocked "uv run python missing.py"
}

@test "a workspace member directory is inside the workspace's project" {
    printf 'print(1)\n' >"$T/proj/packages/member/s.py"
    run --separate-stderr in_dir "$T/proj/packages/member" python s.py
    assert_blocked "$T/proj is a uv project"
}

@test "a uv.lock alone marks a uv project" {
    run --separate-stderr in_dir "$T/lockonly" python s.py
    assert_blocked "$T/lockonly is a uv project"
}

@test "[tool.uv.workspace] and [[tool.uv.index]] mark a uv project" {
    run --separate-stderr in_dir "$T/ws" python s.py
    assert_blocked "$T/ws is a uv project"
    run --separate-stderr in_dir "$T/idx" python s.py
    assert_blocked "$T/idx is a uv project"
}

@test "bare python on a terminal is blocked and suggests uv run python" {
    command -v script >/dev/null || skip "script(1) from util-linux is needed for a pty"
    run --separate-stderr script -qec "cd '$T/proj' && PATH='$SHIM_PATH' python" /dev/null </dev/null
    [ "$status" -eq 1 ]
    [[ "$output$stderr" == *"uv run python"* ]]
    [[ "$output$stderr" != *"real-python"* ]]
}

# --- shared machinery ----------------------------------------------------------------------

@test "COODIE_SHIMS_OFF=1 passes everything through; COODIE_SHIMS_OFF=0 does not" {
    export COODIE_SHIMS_OFF=1
    run --separate-stderr in_dir "$T/proj" python s.py
    assert_passed 'real-python [s.py]'
    export COODIE_SHIMS_OFF=0
    run --separate-stderr in_dir "$T/proj" python s.py
    assert_blocked "uv run python s.py"
}

@test "nothing is blocked when no real uv is on PATH" {
    rm "$STUBS/uv"
    run --separate-stderr in_dir "$T/proj" python s.py
    assert_passed 'real-python [s.py]'
}

@test "a missing real command exits 127 with a message" {
    rm "$STUBS/python"
    run -127 --separate-stderr in_dir "$T/outside" python -c 1
    [[ "$stderr" == *"python: command not found"* ]]
}

@test "no recursion: shim dir listed twice and a second copy of the shims on PATH" {
    cp -R "$SHIMS_DIR" "$T/other-checkout-shims"
    SHIM_PATH=$SHIMS_DIR:$T/other-checkout-shims:$SHIMS_DIR/:$STUBS:$SYSBIN
    run --separate-stderr in_dir "$T/outside" python -c 1
    assert_passed 'real-python [-c] [1]'
    run --separate-stderr in_dir "$T/outside" "$T/other-checkout-shims/python3" -c 1
    assert_passed 'real-python3 [-c] [1]'
}

@test "a real command in a later PATH entry is found past non-executables and directories" {
    mkdir -p "$T/decoy/python" "$T/decoy2"
    printf 'not executable\n' >"$T/decoy2/python"
    SHIM_PATH=$SHIMS_DIR:$T/decoy:$T/decoy2:$STUBS:$SYSBIN
    run --separate-stderr in_dir "$T/outside" python -c 1
    assert_passed 'real-python [-c] [1]'
}

# The uv shim: only `uv pip install|uninstall|sync` without an explicit destination is
# steered (to uv add / uv remove / uv sync) inside a uv project; all other uv commands, and
# everything outside a uv project, reach the real uv untouched.
# shellcheck disable=SC2016,SC2154 # literal $ in bash -c programs; bats sets status/stderr

load _test_helper

setup() {
    common_setup
}

@test "uv pip install NAME is blocked with uv add" {
    run --separate-stderr in_dir "$T/proj" uv pip install requests
    assert_blocked "uv pip install requests" "uv add requests" "uv add --dev requests"
}

@test "uv pip install -r FILE and -e . are blocked with uv add -r / uv sync" {
    run --separate-stderr in_dir "$T/proj" uv pip install -r requirements.txt
    assert_blocked "uv add -r requirements.txt"
    run --separate-stderr in_dir "$T/proj" uv pip install -e .
    assert_blocked "uv sync --all-packages"
}

@test "uv pip uninstall NAME is blocked with uv remove" {
    run --separate-stderr in_dir "$T/proj" uv pip uninstall requests
    assert_blocked "uv remove requests"
}

@test "uv pip sync is blocked with uv sync --locked" {
    run --separate-stderr in_dir "$T/proj" uv pip sync requirements.txt
    assert_blocked "uv sync --locked --all-packages"
}

@test "uv global options before pip are skipped, option values included" {
    run --separate-stderr in_dir "$T/proj" uv -q --cache-dir /tmp/c pip install requests
    assert_blocked "uv -q --cache-dir /tmp/c pip install requests" "uv add requests"
}

@test "uv pip with --project (before or after pip) passes through" {
    run --separate-stderr in_dir "$T/proj" uv pip install --project . requests
    assert_passed 'real-uv [pip] [install] [--project] [.] [requests]'
    run --separate-stderr in_dir "$T/proj" uv --project=. pip install requests
    assert_passed 'real-uv [--project=.] [pip] [install] [requests]'
}

@test "uv pip with --target, --prefix, --python, -p or --system passes through" {
    run --separate-stderr in_dir "$T/proj" uv pip install --target vendor requests
    assert_passed 'real-uv [pip] [install] [--target] [vendor] [requests]'
    run --separate-stderr in_dir "$T/proj" uv pip install --prefix=/opt/x requests
    assert_passed 'real-uv [pip] [install] [--prefix=/opt/x] [requests]'
    # what scripts/check-wheels.sh does for its throw-away venvs
    run --separate-stderr in_dir "$T/proj" uv pip install --quiet --python /v/bin/python x
    assert_passed 'real-uv [pip] [install] [--quiet] [--python] [/v/bin/python] [x]'
    run --separate-stderr in_dir "$T/proj" uv pip uninstall -p /v/bin/python x
    assert_passed 'real-uv [pip] [uninstall] [-p] [/v/bin/python] [x]'
    run --separate-stderr in_dir "$T/proj" uv pip sync --system req.txt
    assert_passed 'real-uv [pip] [sync] [--system] [req.txt]'
}

@test "read-only uv pip subcommands pass through" {
    local sub
    for sub in list freeze show tree check compile; do
        run --separate-stderr in_dir "$T/proj" uv pip "$sub"
        assert_passed "real-uv [pip] [$sub]"
    done
}

@test "the uv workflow itself passes through with arguments intact" {
    run --separate-stderr in_dir "$T/proj" uv add --dev 'ruff>=0.8'
    assert_passed 'real-uv [add] [--dev] [ruff>=0.8]'
    run --separate-stderr in_dir "$T/proj" uv run python -c 'print("a b")'
    assert_passed 'real-uv [run] [python] [-c] [print("a b")]'
    run --separate-stderr in_dir "$T/proj" uv sync --locked --all-packages
    assert_passed 'real-uv [sync] [--locked] [--all-packages]'
    run --separate-stderr in_dir "$T/proj" uv tool install ruff
    assert_passed 'real-uv [tool] [install] [ruff]'
    run --separate-stderr in_dir "$T/proj" uv --version
    assert_passed 'real-uv [--version]'
    run --separate-stderr in_dir "$T/proj" uv
    assert_passed 'real-uv'
}

@test "uv --directory decides where the project is looked for" {
    run --separate-stderr in_dir "$T/proj" uv --directory "$T/outside" pip install requests
    assert_passed "real-uv [--directory] [$T/outside] [pip] [install] [requests]"
    run --separate-stderr in_dir "$T/outside" uv --directory="$T/proj" pip install requests
    assert_blocked "$T/proj is a uv project" "uv add requests"
}

@test "uv pip install outside a uv project passes through" {
    run --separate-stderr in_dir "$T/outside" uv pip install requests
    assert_passed 'real-uv [pip] [install] [requests]'
}

@test "COODIE_SHIMS_OFF=1 lets uv pip install through" {
    export COODIE_SHIMS_OFF=1
    run --separate-stderr in_dir "$T/proj" uv pip install requests
    assert_passed 'real-uv [pip] [install] [requests]'
}

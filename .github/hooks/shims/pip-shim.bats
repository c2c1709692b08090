# The pip / pip3 shim: install and uninstall inside a uv project are steered to uv add /
# uv remove / uv sync; read-only subcommands, explicit destinations and everything outside a
# uv project pass through to the real pip.
# shellcheck disable=SC2016,SC2154 # literal $ in bash -c programs; bats sets status/stderr

load _test_helper

setup() {
    common_setup
}

@test "pip install NAME is blocked with uv add, --package, --dev and uv run --with" {
    run --separate-stderr in_dir "$T/proj" pip install requests 'httpx>=0.27'
    assert_blocked "pip install requests 'httpx>=0.27'" \
        "uv add requests 'httpx>=0.27'" \
        "uv add --package MEMBER requests" \
        "uv add --dev requests" \
        "uv run --with requests --with 'httpx>=0.27' -- COMMAND"
    [[ "$stderr" != *"uv sync"* ]]
}

@test "pip3 is the same shim and names itself in the message" {
    [ -L "$SHIMS_DIR/pip3" ]
    run --separate-stderr in_dir "$T/proj" pip3 install requests
    assert_blocked "blocked: pip3 install requests" "uv add requests"
}

@test "pip uninstall NAME is blocked with uv remove" {
    run --separate-stderr in_dir "$T/proj" pip uninstall -y requests
    assert_blocked "uv remove requests" "uv remove --dev requests"
}

@test "pip uninstall without a name still points at uv remove" {
    run --separate-stderr in_dir "$T/proj" pip uninstall
    assert_blocked "uv remove NAME"
}

@test "pip install -r FILE (all spellings) is blocked with uv add -r FILE" {
    run --separate-stderr in_dir "$T/proj" pip install -r requirements.txt
    assert_blocked "uv add -r requirements.txt"
    [[ "$stderr" != *"uv sync"* ]]
    run --separate-stderr in_dir "$T/proj" pip install -rdev.txt --requirement=ci.txt
    assert_blocked "uv add -r dev.txt" "uv add -r ci.txt"
}

@test "pip install -e . / a local path / a wheel / nothing is blocked with uv sync" {
    run --separate-stderr in_dir "$T/proj" pip install -e .
    assert_blocked "uv sync --all-packages"
    run --separate-stderr in_dir "$T/proj" pip install --editable=packages/member
    assert_blocked "uv sync --all-packages"
    run --separate-stderr in_dir "$T/proj" pip install ./packages/member dist/x-1.0-py3-none-any.whl
    assert_blocked "uv sync --all-packages"
    [[ "$stderr" != *"uv add"* ]]
    run --separate-stderr in_dir "$T/proj" pip install
    assert_blocked "uv sync --all-packages"
}

@test "pip options and option values are not taken for package names" {
    run --separate-stderr in_dir "$T/proj" pip --disable-pip-version-check --timeout 5 -q \
        install -U -i https://example.invalid/simple requests
    assert_blocked "uv add requests"
    [[ "$stderr" != *"uv add https"* ]]
}

@test "pip install --user is blocked too" {
    run --separate-stderr in_dir "$T/proj" pip install --user requests
    assert_blocked "uv add requests"
}

@test "pip install into an explicit destination passes through" {
    run --separate-stderr in_dir "$T/proj" pip install --target vendor requests
    assert_passed 'real-pip [install] [--target] [vendor] [requests]'
    run --separate-stderr in_dir "$T/proj" pip install -t vendor requests
    assert_passed 'real-pip [install] [-t] [vendor] [requests]'
    run --separate-stderr in_dir "$T/proj" pip install --prefix=/opt/x requests
    assert_passed 'real-pip [install] [--prefix=/opt/x] [requests]'
    run --separate-stderr in_dir "$T/proj" pip install --root /tmp/r requests
    assert_passed 'real-pip [install] [--root] [/tmp/r] [requests]'
}

@test "pip --python OTHER_ENV passes through" {
    run --separate-stderr in_dir "$T/proj" pip --python /venv/bin/python install requests
    assert_passed 'real-pip [--python] [/venv/bin/python] [install] [requests]'
}

@test "pip install --dry-run passes through" {
    run --separate-stderr in_dir "$T/proj" pip install --dry-run requests
    assert_passed 'real-pip [install] [--dry-run] [requests]'
}

@test "read-only pip subcommands pass through inside the project" {
    local sub
    for sub in list show freeze check download help --version; do
        run --separate-stderr in_dir "$T/proj" pip "$sub"
        assert_passed "real-pip [$sub]"
    done
    run --separate-stderr in_dir "$T/proj" pip
    assert_passed 'real-pip'
}

@test "pip install outside a uv project passes through" {
    run --separate-stderr in_dir "$T/outside" pip install requests
    assert_passed 'real-pip [install] [requests]'
    run --separate-stderr in_dir "$T/plain" pip3 install requests
    assert_passed 'real-pip3 [install] [requests]'
}

@test "pip install in a workspace member is blocked" {
    run --separate-stderr in_dir "$T/proj/packages/member" pip install requests
    assert_blocked "$T/proj is a uv project"
}

@test "COODIE_SHIMS_OFF=1 lets pip install through" {
    export COODIE_SHIMS_OFF=1
    run --separate-stderr in_dir "$T/proj" pip install requests
    assert_passed 'real-pip [install] [requests]'
}

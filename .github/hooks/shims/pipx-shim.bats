# The pipx shim: inside a uv project the commands that install or run tools are steered to
# uvx / uv tool; the rest, and everything outside a uv project, passes through.
# shellcheck disable=SC2016,SC2154 # literal $ in bash -c programs; bats sets status/stderr

load _test_helper

setup() {
    common_setup
}

@test "pipx run TOOL ARGS is blocked with uvx TOOL ARGS" {
    run --separate-stderr in_dir "$T/proj" pipx run ruff check .
    assert_blocked "pipx run ruff check ." "uvx ruff check ." "--from" "uv add --dev TOOL"
}

@test "pipx install / uninstall / upgrade / reinstall map to uv tool" {
    run --separate-stderr in_dir "$T/proj" pipx install ruff
    assert_blocked "uv tool install ruff"
    run --separate-stderr in_dir "$T/proj" pipx uninstall ruff
    assert_blocked "uv tool uninstall ruff"
    run --separate-stderr in_dir "$T/proj" pipx upgrade ruff
    assert_blocked "uv tool upgrade ruff"
    run --separate-stderr in_dir "$T/proj" pipx reinstall ruff
    assert_blocked "uv tool install --reinstall ruff"
}

@test "the -all variants map to uv tool ... --all" {
    run --separate-stderr in_dir "$T/proj" pipx upgrade-all
    assert_blocked "uv tool upgrade --all"
    run --separate-stderr in_dir "$T/proj" pipx upgrade-shared
    assert_blocked "uv tool upgrade --all"
    run --separate-stderr in_dir "$T/proj" pipx uninstall-all
    assert_blocked "uv tool uninstall --all"
    run --separate-stderr in_dir "$T/proj" pipx reinstall-all
    assert_blocked "uv tool upgrade --all --reinstall"
    run --separate-stderr in_dir "$T/proj" pipx install-all spec.json
    assert_blocked "uv tool install TOOL"
}

@test "pipx inject and runpip map to uv tool install --with" {
    run --separate-stderr in_dir "$T/proj" pipx inject mypy pydantic
    assert_blocked "uv tool install mypy --with pydantic"
    run --separate-stderr in_dir "$T/proj" pipx runpip mypy list
    assert_blocked "uv tool install mypy --with PACKAGE"
}

@test "subcommands without arguments get placeholders" {
    run --separate-stderr in_dir "$T/proj" pipx run
    assert_blocked "uvx TOOL"
    run --separate-stderr in_dir "$T/proj" pipx install
    assert_blocked "uv tool install TOOL"
}

@test "global options before the subcommand are skipped" {
    run --separate-stderr in_dir "$T/proj" pipx --verbose install ruff
    assert_blocked "pipx --verbose install ruff" "uv tool install ruff"
}

@test "read-only and setup subcommands pass through" {
    local sub
    for sub in list environment ensurepath completions --version; do
        run --separate-stderr in_dir "$T/proj" pipx "$sub"
        assert_passed "real-pipx [$sub]"
    done
    run --separate-stderr in_dir "$T/proj" pipx
    assert_passed 'real-pipx'
}

@test "pipx outside a uv project passes through" {
    run --separate-stderr in_dir "$T/outside" pipx run ruff check
    assert_passed 'real-pipx [run] [ruff] [check]'
}

@test "COODIE_SHIMS_OFF=1 lets pipx through" {
    export COODIE_SHIMS_OFF=yes
    run --separate-stderr in_dir "$T/proj" pipx install ruff
    assert_passed 'real-pipx [install] [ruff]'
}

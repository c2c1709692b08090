#!/usr/bin/env bash
# Put the coodie shims (.github/hooks/shims: python, python3, pip, pip3, pipx, uv) first on
# PATH, so that bare pip / pipx / `uv pip install` / `python script.py` inside this uv project
# answer with the uv command to use instead. What they allow and block: shims/_common.sh.
#
#   source .github/hooks/setup-shims.sh            # this bash or zsh session
#   bash .github/hooks/setup-shims.sh              # GitHub Actions step: later steps (GITHUB_PATH)
#   eval "$(bash .github/hooks/setup-shims.sh)"    # any other shell or CI: prints an export line
#
# Does nothing (and succeeds) when no real uv is on PATH: the shims would only point at a
# tool that is missing. Running it again is harmless. Switch the shims off for one command
# with COODIE_SHIMS_OFF=1.
#
# Written to be sourced too: no `set -e`, no `exit` on that path, and only one helper
# function (_coodie_setup_shims) is left in the caller's shell.

_coodie_setup_shims() {
    local src=$1 sourced=$2 here shims
    case $src in
        */*) here=${src%/*} ;;
        *) here=. ;;
    esac
    here=$(cd -- "$here" && pwd) || return 1
    shims=$here/shims
    # Is there a real uv, i.e. one outside any shim directory? (Plain loop: runs in zsh too.)
    local rest="$PATH:" dir found=""
    while [ -n "$rest" ]; do
        dir=${rest%%:*}
        rest=${rest#*:}
        dir=${dir:-.}
        if [ -x "$dir/uv" ] && [ ! -d "$dir/uv" ] \
            && ! grep -qs 'coodie-shims-common' "$dir/_common.sh"; then
            found=1
            break
        fi
    done
    if [ -z "$found" ]; then
        echo "setup-shims: uv is not installed; PATH left unchanged (https://docs.astral.sh/uv/)" >&2
        return 0
    fi
    if [ -n "${GITHUB_PATH:-}" ]; then
        if ! grep -qxF -- "$shims" "$GITHUB_PATH" 2>/dev/null; then
            printf '%s\n' "$shims" >>"$GITHUB_PATH"
        fi
        echo "setup-shims: $shims added to GITHUB_PATH (effective from the next step)" >&2
    fi
    if [ "$sourced" = 1 ]; then
        case ":$PATH:" in
            *":$shims:"*) ;;
            *) PATH="$shims:$PATH" ;;
        esac
        export PATH
        echo "setup-shims: $shims is on PATH for this shell" >&2
    elif [ -z "${GITHUB_PATH:-}" ]; then
        # shellcheck disable=SC2016 # $PATH is for the shell that evals this line
        printf 'export PATH=%q:"$PATH"\n' "$shims"
        echo "setup-shims: eval this script's output (or source it) to use the shims" >&2
    fi
    return 0
}

# `return` only works when sourced; zsh puts the sourced file's path in $0.
if (return 0 2>/dev/null); then
    _coodie_setup_shims "${BASH_SOURCE[0]:-$0}" 1
else
    _coodie_setup_shims "${BASH_SOURCE[0]:-$0}" 0
    exit $?
fi

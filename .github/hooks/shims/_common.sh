# shellcheck shell=bash
# coodie-shims-common  <- marker: a directory holding a _common.sh with this word is a shim dir
#
# Shared logic of the coodie shims (python, python3, pip, pip3, pipx, uv). Every shim is a
# small bash script that sources this file and calls `coodie_shim_main "$@"`; the shim's file
# name ($0) says which command it stands in for. python3 and pip3 are symlinks to python and
# pip, so they run the same rules and then exec the real python3 / pip3.
#
# Rules (see .github/instructions/references/uv-commands.instructions.md):
#   * COODIE_SHIMS_OFF=1 (any value but "" or "0") passes everything through.
#   * Outside a uv project everything passes through. A directory is inside a uv project when
#     it, or one of its parents, holds a `uv.lock` or a `pyproject.toml` with a `[tool.uv...]`
#     table. The walk does not stop at a pyproject.toml without one, so a workspace member
#     (packages/coodie-core) counts as inside the workspace that contains it.
#   * If no real `uv` is on PATH, nothing is blocked either: we would only be pointing at a
#     tool that is not there (scripts/lib.sh even uses pip to install uv).
#   * Blocked commands print what to run instead on stderr and exit 1. Nothing is ever run.
#
# Finding the real command: PATH is searched in order, skipping every directory that is a
# shim directory (this one, or another checkout's copy), so a shim never execs itself or a
# sibling shim. The real command keeps the caller's PATH, so anything *it* starts is still
# steered by the shims.

_cs_name=""
_cs_advice=()

# _cs_is_shim_dir DIR: true when DIR holds coodie shims.
_cs_is_shim_dir() {
    [ -f "$1/_common.sh" ] && grep -q 'coodie-shims-common' "$1/_common.sh" 2>/dev/null
}

# _cs_find_real NAME: print the first NAME on PATH that is not a coodie shim.
_cs_find_real() {
    local name=$1 dir
    local -a dirs
    IFS=: read -r -a dirs <<<"$PATH"
    for dir in "${dirs[@]}"; do
        dir=${dir:-.}
        if [ -x "$dir/$name" ] && [ ! -d "$dir/$name" ] && ! _cs_is_shim_dir "$dir"; then
            printf '%s\n' "$dir/$name"
            return 0
        fi
    done
    return 1
}

# _cs_project_root [DIR]: print the uv project root at or above DIR (default: $PWD).
_cs_project_root() {
    local dir
    dir=$(cd -- "${1:-$PWD}" 2>/dev/null && pwd) || return 1
    while :; do
        if [ -f "$dir/uv.lock" ]; then
            printf '%s\n' "$dir"
            return 0
        fi
        # [tool.uv], [tool.uv.workspace], [[tool.uv.index]], ...
        if [ -f "$dir/pyproject.toml" ] \
            && grep -Eq '^[[:space:]]*\[\[?[[:space:]]*tool\.uv[].[:space:]]' "$dir/pyproject.toml"; then
            printf '%s\n' "$dir"
            return 0
        fi
        [ -z "$dir" ] || [ "$dir" = / ] && return 1
        dir=${dir%/*}
    done
}

# _cs_quote ARGS...: the arguments as one command line to copy and paste; an argument with
# characters the shell would interpret is put in single quotes.
_cs_quote() {
    local out="" arg q="'"
    for arg in "$@"; do
        if [[ ! $arg =~ ^[A-Za-z0-9_@%+=:,./-]+$ ]]; then
            arg="'${arg//$q/$q\\$q$q}'"
        fi
        out+="${out:+ }$arg"
    done
    printf '%s' "$out"
}

# _cs_pass ARGS...: exec the real command (same name as the shim) with ARGS.
_cs_pass() {
    local real
    if ! real=$(_cs_find_real "$_cs_name"); then
        printf 'coodie shim: %s: command not found (no real %s on PATH besides the shims)\n' \
            "$_cs_name" "$_cs_name" >&2
        exit 127
    fi
    exec "$real" "$@"
}

# _cs_refuse START_DIR SHOWN_COMMAND SUGGESTION...: block when START_DIR is inside a uv
# project and a real uv exists; otherwise return (the caller then passes through).
_cs_refuse() {
    local start=$1 shown=$2 root line
    shift 2
    root=$(_cs_project_root "$start") || return 0
    _cs_find_real uv >/dev/null || return 0
    local docs
    docs=$(cd -- "${BASH_SOURCE[0]%/*}/../../instructions/references" 2>/dev/null && pwd) \
        && docs="$docs/uv-commands.instructions.md"
    {
        printf 'coodie: blocked: %s\n' "$shown"
        printf '  %s is a uv project: uv keeps its .venv in line with pyproject.toml and\n' "$root"
        printf '  uv.lock, so change the environment through uv.\n'
        printf '  Instead:\n'
        for line in "$@"; do
            printf '    %s\n' "$line"
        done
        [ -n "$docs" ] && printf '  Why and how: %s\n' "$docs"
        printf '  Run it anyway (once): COODIE_SHIMS_OFF=1 %s\n' "$shown"
    } >&2
    exit 1
}

# _cs_install_advice VERB ARGS...: suggestions for "pip install ..." / "uv pip install ...",
# "... uninstall ..." and "uv pip sync ..."; ARGS are what follows the subcommand.
# Returns 1 (= pass through) when ARGS name an explicit destination outside the project
# environment (--target, --prefix, --root, --python, --system, --project) or only simulate
# (--dry-run).
_cs_install_advice() {
    local verb=$1 arg
    shift
    local -a names=() files=() locals=() withs=()
    while [ $# -gt 0 ]; do
        arg=$1
        shift
        case $arg in
            --target | --target=* | -t | --prefix | --prefix=* | --root | --root=* \
                | --python | --python=* | -p | --system | --project | --project=* | --dry-run)
                return 1
                ;;
            -r | --requirement | --requirements)
                files+=("${1-}")
                shift
                ;;
            -r?*) files+=("${arg#-r}") ;;
            --requirement=* | --requirements=*) files+=("${arg#*=}") ;;
            -e | --editable)
                locals+=("${1-}")
                shift
                ;;
            --editable=*) locals+=("${arg#*=}") ;;
            -c | --constraint | --constraints | -i | --index-url | --extra-index-url | -f \
                | --find-links | --python-version | --platform | --implementation | --abi \
                | --src | --upgrade-strategy | --config-settings | -C | --progress-bar \
                | --report | --only-binary | --no-binary | --no-binary-package | --index \
                | --default-index | --index-strategy | --keyring-provider | --resolution \
                | --prerelease | --exclude-newer | --extra | --group | --overrides)
                shift
                ;;
            -*) ;;
            . | .. | ./* | ../* | /* | "~"* | *.whl | *.tar.gz | *.zip) locals+=("$arg") ;;
            *) names+=("$arg") ;;
        esac
    done
    for arg in "${names[@]}"; do
        withs+=("--with" "$arg")
    done
    case $verb in
        uninstall)
            if [ ${#names[@]} -gt 0 ]; then
                _cs_advice+=("uv remove $(_cs_quote "${names[@]}")      # drop a dependency of this project"
                    "uv remove --package MEMBER $(_cs_quote "${names[@]}")   # ... of one workspace member"
                    "uv remove --dev $(_cs_quote "${names[@]}")      # ... of the dev group")
            else
                _cs_advice+=("uv remove NAME   # then uv sync removes it from .venv")
            fi
            return 0
            ;;
        sync)
            _cs_advice+=("uv sync --locked --all-packages   # install exactly what uv.lock says")
            return 0
            ;;
    esac
    if [ ${#names[@]} -gt 0 ]; then
        _cs_advice+=("uv add $(_cs_quote "${names[@]}")      # dependency of the project here"
            "uv add --package MEMBER $(_cs_quote "${names[@]}")   # dependency of one workspace member"
            "uv add --dev $(_cs_quote "${names[@]}")      # development tool (dependency group dev)"
            "uv run $(_cs_quote "${withs[@]}") -- COMMAND   # one-off, nothing recorded")
    fi
    for arg in "${files[@]}"; do
        _cs_advice+=("uv add -r $(_cs_quote "$arg")   # record a requirements file's entries")
    done
    if [ ${#locals[@]} -gt 0 ] || { [ ${#names[@]} -eq 0 ] && [ ${#files[@]} -eq 0 ]; }; then
        _cs_advice+=("uv sync --all-packages   # every workspace member is installed editable already")
    fi
    return 0
}

# pip rules. SHOWN is the command as the user wrote it ("pip ..." or "python -m pip ...").
_cs_pip_rules() {
    local shown=$1
    shift
    local -a args=("$@")
    while [ $# -gt 0 ]; do
        case $1 in
            --python | --python=*) return 0 ;; # an explicit interpreter: not ours to police
            --log | --log-file | --proxy | --retries | --timeout | --exists-action | --cert \
                | --trusted-host | --client-cert | --cache-dir | --use-feature \
                | --use-deprecated | --keyring-provider)
                shift 2
                ;;
            -*) shift ;;
            *) break ;;
        esac
    done
    local sub=${1-}
    [ $# -gt 0 ] && shift
    case $sub in
        install | uninstall) ;;
        *) return 0 ;; # list, show, freeze, check, download, wheel, help, ...: read-only
    esac
    _cs_advice=()
    _cs_install_advice "$sub" "$@" || return 0
    _cs_refuse "$PWD" "$shown $(_cs_quote "${args[@]}")" "${_cs_advice[@]}"
}

# pipx rules: inside a uv project, point at uv's tool commands.
_cs_pipx_rules() {
    local shown=$1
    shift
    local -a args=("$@")
    while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do
        shift
    done
    local sub=${1-} advice
    [ $# -gt 0 ] && shift
    local rest
    rest=$(_cs_quote "$@")
    case $sub in
        run) advice="uvx ${rest:-TOOL}   # = uv tool run; pipx's --spec is uvx's --from" ;;
        install) advice="uv tool install ${rest:-TOOL}" ;;
        install-all) advice="uv tool install TOOL   # once per tool" ;;
        uninstall) advice="uv tool uninstall ${rest:-TOOL}" ;;
        uninstall-all) advice="uv tool uninstall --all" ;;
        upgrade) advice="uv tool upgrade ${rest:-TOOL}" ;;
        upgrade-all | upgrade-shared) advice="uv tool upgrade --all" ;;
        reinstall) advice="uv tool install --reinstall ${rest:-TOOL}" ;;
        reinstall-all) advice="uv tool upgrade --all --reinstall" ;;
        inject) advice="uv tool install ${1:-TOOL} --with ${2:-PACKAGE}   # a tool with extra packages" ;;
        runpip) advice="uv tool install ${1:-TOOL} --with PACKAGE   # uv tools have no pip inside" ;;
        *) return 0 ;; # list, environment, ensurepath, completions, interpreter, --version, ...
    esac
    _cs_refuse "$PWD" "$shown $(_cs_quote "${args[@]}")" "$advice" \
        "uv add --dev TOOL && uv run TOOL   # or make it a pinned dev tool of this repo"
}

# python rules. Pass: -c, -m (except pip/pipx, which get their own rules), -V/-h, a program on
# stdin, and a script whose first line is a shebang (it was most likely started as ./script,
# which makes the kernel run `python3 ./script`). Block inside a project: `python file.py`
# (-> uv run python file.py) and the interactive prompt (-> uv run python).
_cs_python_rules() {
    local -a args=("$@")
    local arg flags c info="" module
    while [ $# -gt 0 ]; do
        arg=$1
        case $arg in
            --)
                shift
                break
                ;;
            --version | --help | --help-*)
                info=1
                shift
                ;;
            --check-hash-based-pycs) shift 2 ;;
            --*) shift ;;
            -) return 0 ;; # program read from stdin
            -?*)
                shift
                flags=${arg#-}
                while [ -n "$flags" ]; do
                    c=${flags:0:1}
                    flags=${flags:1}
                    case $c in
                        c) return 0 ;;
                        m)
                            module=${flags:-${1-}}
                            [ -z "$flags" ] && [ $# -gt 0 ] && shift
                            case $module in
                                pip | pip3) _cs_pip_rules "$_cs_name -m $module" "$@" ;;
                                pipx) _cs_pipx_rules "$_cs_name -m pipx" "$@" ;;
                            esac
                            return 0
                            ;;
                        W | X)
                            # -Wdefault / -W default, -Xdev / -X dev
                            [ -z "$flags" ] && [ $# -gt 0 ] && shift
                            flags=""
                            ;;
                        V | h | '?') info=1 ;;
                    esac
                done
                ;;
            *) break ;;
        esac
    done
    if [ $# -eq 0 ]; then
        [ -n "$info" ] && return 0
        [ -t 0 ] || return 0 # stdin is a pipe or file: a program, not a person
        _cs_refuse "$PWD" "$_cs_name" \
            "uv run python   # the project's interpreter, with the workspace installed"
        return 0
    fi
    local script=$1 first=""
    if [ -f "$script" ] && [ -r "$script" ]; then
        IFS= read -r -n 2 first <"$script" 2>/dev/null
        [ "$first" = '#!' ] && return 0
    fi
    _cs_refuse "$PWD" "$_cs_name $(_cs_quote "${args[@]}")" \
        "uv run python $(_cs_quote "${args[@]}")" \
        "uv run --with PACKAGE python $(_cs_quote "${args[@]}")   # if it needs an extra package"
}

# uv rules: only `uv pip install|uninstall|sync` is steered, and only without an explicit
# destination (--project, --python/-p, --target, --prefix, --system).
_cs_uv_rules() {
    local -a args=("$@")
    local start=$PWD
    while [ $# -gt 0 ]; do
        case $1 in
            --project | --project=*) return 0 ;;
            --directory)
                start=${2-}
                shift 2
                ;;
            --directory=*)
                start=${1#*=}
                shift
                ;;
            --config-file | --cache-dir | --color | --allow-insecure-host | --python | -p)
                shift 2
                ;;
            -*) shift ;;
            *) break ;;
        esac
    done
    [ "${1-}" = pip ] || return 0
    shift
    local sub=${1-}
    [ $# -gt 0 ] && shift
    case $sub in
        install | uninstall | sync) ;;
        *) return 0 ;; # list, show, freeze, tree, check, compile: read-only
    esac
    _cs_advice=()
    _cs_install_advice "$sub" "$@" || return 0
    _cs_refuse "$start" "uv $(_cs_quote "${args[@]}")" "${_cs_advice[@]}"
}

coodie_shim_main() {
    _cs_name=${0##*/}
    case ${COODIE_SHIMS_OFF:-} in
        "" | 0) ;;
        *) _cs_pass "$@" ;;
    esac
    case $_cs_name in
        python | python3) _cs_python_rules "$@" ;;
        pip | pip3) _cs_pip_rules "$_cs_name" "$@" ;;
        pipx) _cs_pipx_rules pipx "$@" ;;
        uv) _cs_uv_rules "$@" ;;
    esac
    _cs_pass "$@"
}

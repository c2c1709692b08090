# Finding the Python interpreters coodie supports (sourced, not executed).
#
# SUPPORTED_PYTHONS is the one list of versions CI proves; the packages' classifiers must say
# the same (packages/coodie-core/tests/test_supported_pythons.py checks it).
# Nothing is downloaded from python.org or by uv: interpreters come from pyenv, from PATH, or,
# for Python 3.14, from Debian's package archive (see install_debian_python).

SUPPORTED_PYTHONS="3.10 3.11 3.12 3.13 3.14"

# Debian sid's python3.14 needs a newer glibc and a few newer libraries than the machine's
# Debian release: they are unpacked beside the interpreter, which patchelf points at them.
_DEBIAN_PYTHON_PACKAGES="libc6 libssl3t64 libexpat1 libzstd1 libffi8 zlib1g"

python_cache_root() {
    echo "${COODIE_CASSANDRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coodie}/python"
}

# find_python VERSION: print the path of an interpreter of VERSION (e.g. 3.12), or fail.
find_python() {
    local version=$1 candidate
    local pyenv_root
    pyenv_root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
    # pyenv's own builds, newest patch release first (its shims only answer for the
    # selected version, so they are not used).
    for candidate in $(ls -d "$pyenv_root/versions/$version".* 2>/dev/null | sort -rV); do
        if [ -x "$candidate/bin/python$version" ]; then
            echo "$candidate/bin/python$version"
            return 0
        fi
    done
    candidate="$(python_cache_root)/$version/usr/bin/python$version"
    if [ -x "$candidate" ] && "$candidate" -c "" 2>/dev/null; then
        echo "$candidate"
        return 0
    fi
    for candidate in "/usr/bin/python$version" "/usr/local/bin/python$version"; do
        if [ -x "$candidate" ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# install_debian_python VERSION: unpack python$VERSION from Debian unstable into the cache.
# Only with apt-get (as root) and patchelf; prints the interpreter's path on success.
install_debian_python() {
    local version=$1
    command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ] || return 1
    command -v patchelf >/dev/null 2>&1 ||
        apt-get install -y -qq patchelf >/dev/null 2>&1 ||
        { apt-get update -qq && apt-get install -y -qq patchelf >/dev/null; } || return 1
    local root work
    root="$(python_cache_root)/$version"
    work=$(mktemp -d)
    mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
    echo "deb http://deb.debian.org/debian sid main" >"$work/sources.list"
    # A private package list: the machine's own apt configuration is not touched.
    local apt_options=(
        -o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
        -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
        -o "APT::Architectures=amd64" -o "APT::Sandbox::User=root"
    )
    local ok=0
    if apt-get "${apt_options[@]}" update -qq >&2 &&
        (cd "$work/debs" && apt-get "${apt_options[@]}" download -qq \
            "python$version-minimal" "libpython$version-minimal" "libpython$version-stdlib" \
            $_DEBIAN_PYTHON_PACKAGES >&2); then
        rm -rf "$root" && mkdir -p "$root"
        local deb
        for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
        local libs="$root/usr/lib/x86_64-linux-gnu"
        patchelf --set-interpreter "$libs/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$libs" \
            "$root/usr/bin/python$version" &&
            "$root/usr/bin/python$version" -c "import ssl, sqlite3, ctypes, decimal, lzma, zlib" &&
            ok=1
    fi
    rm -rf "$work"
    [ "$ok" = 1 ] || return 1
    echo "$root/usr/bin/python$version"
}

# python_for VERSION: find_python, else (3.14 and newer) install_debian_python.
python_for() {
    find_python "$1" && return 0
    case "$1" in
        3.1[4-9]) install_debian_python "$1" ;;
        *) return 1 ;;
    esac
}

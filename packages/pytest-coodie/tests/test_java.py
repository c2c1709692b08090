"""JDK / Maven discovery and the errors that name what to install (fake executables)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from pytest_coodie import (
    FetchError,
    JavaNotFoundError,
    MavenNotFoundError,
    ensure_jars,
    find_java,
    find_maven,
)
from pytest_coodie.javatools import parse_java_major

# POSIX-only: fake shell-script programs, process groups and unix sockets.
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX only")


def script(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def fake_jdk(root: Path, version: str) -> Path:
    """A JAVA_HOME whose bin/java reports ``version`` like OpenJDK does (on stderr)."""
    script(root / "bin" / "java", f"echo 'openjdk version \"{version}\" 2025-04-15' >&2")
    return root


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('openjdk version "11.0.2" 2019-01-15', 11),
        ('java version "1.8.0_292"', 8),
        ('openjdk version "25" 2025-09-16', 25),
        ("garbage", None),
    ],
)
def test_parse_java_major(output: str, major: int | None) -> None:
    assert parse_java_major(output) == major


def test_java_home_17_is_used(tmp_path: Path) -> None:
    home = fake_jdk(tmp_path / "jdk17", "17.0.15")
    java = find_java({"JAVA_HOME": str(home), "PATH": ""}, jvm_roots=())
    assert java.major == 17
    assert java.executable == home / "bin" / "java"
    assert java.home == home.resolve()
    assert not java.is_full_jdk  # no javac in the fake home


def test_unsupported_java_is_skipped_for_a_supported_one(tmp_path: Path) -> None:
    new = fake_jdk(tmp_path / "jdk25", "25")
    roots = tmp_path / "jvm"
    fake_jdk(roots / "java-17-openjdk-amd64", "17.0.1")
    java = find_java({"JAVA_HOME": str(new), "PATH": ""}, jvm_roots=(str(roots),))
    assert java.major == 17
    assert java.home == (roots / "java-17-openjdk-amd64").resolve()


def test_no_java_at_all_names_the_package(tmp_path: Path) -> None:
    with pytest.raises(JavaNotFoundError) as info:
        find_java({"PATH": str(tmp_path)}, jvm_roots=())
    message = str(info.value)
    assert "Java 11 or 17" in message
    assert "apt-get install openjdk-17-jdk-headless" in message


def test_wrong_java_on_path_is_reported(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    script(bin_dir / "java", "echo 'openjdk version \"21.0.2\" 2024-01-16' >&2")
    with pytest.raises(JavaNotFoundError, match=r"Java 21.*openjdk-17-jdk-headless"):
        find_java({"PATH": str(bin_dir)}, jvm_roots=())


def test_missing_maven_names_the_package(tmp_path: Path) -> None:
    with pytest.raises(MavenNotFoundError, match="apt-get install maven"):
        find_maven({"PATH": str(tmp_path)})


def fetch_env(tmp_path: Path, path_dirs: list[Path]) -> dict[str, str]:
    return {
        "COODIE_CASSANDRA_CACHE": str(tmp_path / "cache"),
        "JAVA_HOME": str(fake_jdk(tmp_path / "jdk", "17.0.15")),
        "PATH": os.pathsep.join(str(d) for d in path_dirs),
    }


def test_fetch_without_maven_fails_before_creating_the_cache(tmp_path: Path) -> None:
    env = fetch_env(tmp_path, [tmp_path / "empty"])
    with pytest.raises(MavenNotFoundError):
        ensure_jars("5.0.9", env)
    assert not (tmp_path / "cache" / "cassandra-5.0.9" / "lib").exists()


# A stand-in for `mvn`: writes the jars into -DoutputDirectory=..., or fails halfway.
FAKE_MVN = """
for arg in "$@"; do case "$arg" in -DoutputDirectory=*) out="${arg#-DoutputDirectory=}";; esac; done
[ -f pom.xml ] || exit 9
grep -q '<version>5.0.9</version>' pom.xml || exit 8
touch "$out/jamm-0.4.0.jar"
[ -n "$FAIL" ] && { echo "[ERROR] could not resolve" ; exit 1; }
touch "$out/cassandra-all-5.0.9.jar"
echo "$JAVA_HOME" > "$out/java-home.txt"
"""


def test_fetch_is_atomic_and_cached(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    script(bin_dir / "mvn", FAKE_MVN)
    env = fetch_env(tmp_path, [bin_dir, Path("/usr/bin"), Path("/bin")])
    lib = ensure_jars("5.0.9", env)
    assert lib == tmp_path / "cache" / "cassandra-5.0.9" / "lib"
    assert (lib / "cassandra-all-5.0.9.jar").is_file()
    assert (lib / "java-home.txt").read_text().strip() == str((tmp_path / "jdk").resolve())
    leftovers = [p.name for p in lib.parent.iterdir() if p.name.startswith("lib.partial")]
    assert leftovers == []
    (bin_dir / "mvn").unlink()  # a cached version must not need Maven any more
    assert ensure_jars("5.0.9", env) == lib


def test_failed_fetch_leaves_no_half_download(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    script(bin_dir / "mvn", FAKE_MVN)
    env = fetch_env(tmp_path, [bin_dir, Path("/usr/bin"), Path("/bin")]) | {"FAIL": "1"}
    with pytest.raises(FetchError, match="could not resolve"):
        ensure_jars("5.0.9", env)
    version_dir = tmp_path / "cache" / "cassandra-5.0.9"
    assert sorted(p.name for p in version_dir.iterdir()) == [".fetch.lock"]

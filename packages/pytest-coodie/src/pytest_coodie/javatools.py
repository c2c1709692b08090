"""Locate a JDK that Cassandra 5.0 accepts (11 or 17) and Maven, failing fast and clearly.

Cassandra 5.0 refuses newer JVMs (Java 24+ removed the security manager it relies on), so
"any java on PATH" is not good enough: every candidate's version is checked.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import JavaNotFoundError, MavenNotFoundError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

SUPPORTED_JAVA_MAJORS = (11, 17)
DEFAULT_JVM_ROOTS = ("/usr/lib/jvm",)
JAVA_INSTALL_HINT = "install it with `apt-get install openjdk-17-jdk-headless` (or set JAVA_HOME)"
MAVEN_INSTALL_HINT = "install it with `apt-get install maven`"

_VERSION_RE = re.compile(r'version "(\d+)(?:\.(\d+))?[^"]*"')


@dataclass(frozen=True)
class Java:
    """A usable ``java`` executable and its home (used as JAVA_HOME for Maven too)."""

    executable: Path
    home: Path
    major: int

    @property
    def is_full_jdk(self) -> bool:
        """A full JDK ships javac and the jdk.compiler/jdk.attach modules."""
        return (self.home / "bin" / "javac").exists()


def parse_java_major(version_output: str) -> int | None:
    """Major version from ``java -version`` output (``1.8.0_x`` counts as 8)."""
    match = _VERSION_RE.search(version_output)
    if match is None:
        return None
    first = int(match.group(1))
    if first == 1 and match.group(2) is not None:
        return int(match.group(2))
    return first


def java_major(executable: Path) -> int | None:
    """Run ``java -version`` (bounded in time) and return its major version."""
    try:
        proc = subprocess.run(
            [str(executable), "-version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return parse_java_major(proc.stderr + proc.stdout)


def _candidates(env: Mapping[str, str], jvm_roots: Sequence[str]) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    java_home = env.get("JAVA_HOME")
    if java_home:
        found.append(("JAVA_HOME", Path(java_home) / "bin" / "java"))
    for root in jvm_roots:
        for pattern in ("java-17-openjdk-*", "java-11-openjdk-*"):
            for home in sorted(glob.glob(os.path.join(root, pattern))):
                found.append((home, Path(home) / "bin" / "java"))
    on_path = shutil.which("java", path=env.get("PATH", ""))
    if on_path:
        found.append(("PATH", Path(on_path)))
    return found


def find_java(
    env: Mapping[str, str] | None = None,
    jvm_roots: Sequence[str] = DEFAULT_JVM_ROOTS,
) -> Java:
    """First of JAVA_HOME, /usr/lib/jvm/java-{17,11}-openjdk-*, PATH that is Java 11/17."""
    env = os.environ if env is None else env
    rejected: list[str] = []
    for origin, exe in _candidates(env, jvm_roots):
        if not exe.is_file() or not os.access(exe, os.X_OK):
            rejected.append(f"{exe} ({origin}): not an executable")
            continue
        major = java_major(exe)
        if major in SUPPORTED_JAVA_MAJORS:
            real = exe.resolve()
            return Java(executable=exe, home=real.parent.parent, major=major)
        shown = "unknown version" if major is None else f"Java {major}"
        rejected.append(f"{exe} ({origin}): {shown}")
    detail = "; ".join(rejected) if rejected else "no java found"
    raise JavaNotFoundError(f"Cassandra 5.0 needs Java 11 or 17 ({detail}); {JAVA_INSTALL_HINT}")


def find_maven(env: Mapping[str, str] | None = None) -> Path:
    """The ``mvn`` executable on PATH; only needed the first time jars are fetched."""
    env = os.environ if env is None else env
    mvn = shutil.which("mvn", path=env.get("PATH", ""))
    if mvn is None:
        raise MavenNotFoundError(
            "Maven (`mvn`) is needed once to download the Cassandra jars from Maven Central "
            f"but is not on PATH; {MAVEN_INSTALL_HINT}"
        )
    return Path(mvn)

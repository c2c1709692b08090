"""Download the Cassandra server jars from Maven Central once, into a cache outside the repo.

Maven resolves the ~100 runtime jars of ``org.apache.cassandra:cassandra-all`` from a
throw-away pom. The jars land in a temporary sibling folder that is renamed into place only
when Maven succeeded, so a half-finished download is never mistaken for a cache.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import FetchError
from .javatools import find_java, find_maven

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

#: Newest 5.0.x on Maven Central when this was written; override with COODIE_CASSANDRA_VERSION.
DEFAULT_CASSANDRA_VERSION = "5.0.9"
FETCH_TIMEOUT_S = 1800

_POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.coodie.throwaway</groupId>
  <artifactId>cassandra-jars</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.cassandra</groupId>
      <artifactId>cassandra-all</artifactId>
      <version>{version}</version>
    </dependency>
  </dependencies>
</project>
"""


def cassandra_version(env: Mapping[str, str] | None = None) -> str:
    """The Cassandra version to run: COODIE_CASSANDRA_VERSION or the pinned default."""
    env = os.environ if env is None else env
    return env.get("COODIE_CASSANDRA_VERSION") or DEFAULT_CASSANDRA_VERSION


def cache_root(env: Mapping[str, str] | None = None) -> Path:
    """COODIE_CASSANDRA_CACHE, else $XDG_CACHE_HOME/coodie, else ~/.cache/coodie."""
    env = os.environ if env is None else env
    explicit = env.get("COODIE_CASSANDRA_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    xdg = env.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "coodie"


def lib_dir(version: str, env: Mapping[str, str] | None = None) -> Path:
    """Where the jars of one Cassandra version live: ``<cache root>/cassandra-<v>/lib``."""
    return cache_root(env) / f"cassandra-{version}" / "lib"


def is_complete(lib: Path, version: str) -> bool:
    """The folder only exists after a successful rename; double-check the main jar is in it."""
    return (lib / f"cassandra-all-{version}.jar").is_file()


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        if sys.platform == "win32":  # no fcntl there; lock the file's first byte instead
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _log(message: str) -> None:
    print(f"[pytest-coodie] {message}", file=sys.stderr, flush=True)


def ensure_jars(version: str | None = None, env: Mapping[str, str] | None = None) -> Path:
    """Return the lib folder for ``version``, downloading it with Maven if it is not cached."""
    env = os.environ if env is None else env
    version = version or cassandra_version(env)
    lib = lib_dir(version, env)
    if is_complete(lib, version):
        return lib
    with _file_lock(lib.parent / ".fetch.lock"):
        if is_complete(lib, version):  # another process finished while we waited
            return lib
        mvn = find_maven(env)
        java = find_java(env)
        if lib.exists():  # left over from a crash between rename and check; never trust it
            shutil.rmtree(lib)
        staging = Path(tempfile.mkdtemp(prefix="lib.partial-", dir=lib.parent))
        try:
            _run_maven(mvn, java.home, version, staging, env)
            if not is_complete(staging, version):
                raise FetchError(f"Maven finished but cassandra-all-{version}.jar is missing")
            os.rename(staging, lib)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    return lib


def _run_maven(mvn: Path, java_home: Path, version: str, out: Path, env: Mapping[str, str]) -> None:
    _log(f"downloading Cassandra {version} jars from Maven Central into {out.parent} ...")
    with tempfile.TemporaryDirectory(prefix="coodie-pom-") as project:
        (Path(project) / "pom.xml").write_text(_POM.format(version=version), encoding="utf-8")
        command = [
            str(mvn),
            "-B",
            "-q",
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={out}",
        ]
        run_env = dict(env)
        run_env["JAVA_HOME"] = str(java_home)
        try:
            proc = subprocess.run(
                command,
                cwd=project,
                env=run_env,
                capture_output=True,
                text=True,
                timeout=FETCH_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise FetchError(f"Maven did not finish within {FETCH_TIMEOUT_S} s") from exc
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-30:])
        raise FetchError(
            f"`mvn dependency:copy-dependencies` for cassandra-all:{version} failed "
            f"(exit {proc.returncode}):\n{tail}"
        )

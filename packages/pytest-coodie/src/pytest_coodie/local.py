"""Run Apache Cassandra 5.0 nodes straight from the cached Maven jars with the machine's JDK.

Each node runs in its own process session so teardown can signal the whole group, and
teardown is registered with ``atexit`` so a failing or interrupted test run still stops it.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import config
from .auth import DEFAULT_CREDENTIALS, auth_from_env, set_up_role
from .cqlprobe import probe
from .errors import CQLProbeError, NodeStartError, PortInUseError
from .fetch import cassandra_version, ensure_jars
from .handle import ClusterHandle
from .javatools import find_java

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .config import NodeSpec
    from .cqlprobe import Credentials

DEFAULT_STARTUP_TIMEOUT_S = 180.0
#: Added to the default deadline for each node after the first: on a busy 2-core machine
#: three nodes took 115-158 s to all answer CQL, too close to a flat 180 s.
EXTRA_NODE_STARTUP_S = 120.0
STOP_GRACE_S = 20.0
_POLL_INTERVAL_S = 1.0


def _env_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def _env_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


def startup_timeout(nodes: int, env: Mapping[str, str]) -> float:
    """COODIE_STARTUP_TIMEOUT (seconds for the whole cluster), else 180 s plus 120 s per
    node after the first (1 node: 180 s, 3 nodes: 420 s)."""
    default = DEFAULT_STARTUP_TIMEOUT_S + EXTRA_NODE_STARTUP_S * max(nodes - 1, 0)
    return _env_float(env, "COODIE_STARTUP_TIMEOUT", default)


def keep_workdir(env: Mapping[str, str]) -> bool:
    """COODIE_KEEP_WORKDIR non-empty: leave the node folders (config, data, logs) after stop."""
    return bool(env.get("COODIE_KEEP_WORKDIR"))


def port_is_free(address: str, port: int) -> bool:
    """True if ``address:port`` can be bound (SO_REUSEADDR, as the server itself binds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((address, port))
        except OSError:
            return False
    return True


def check_ports(specs: list[NodeSpec]) -> None:
    """Fail fast (instead of a JVM dying 20 s later) when a port is taken."""
    for spec in specs:
        for port, what, var in (
            (spec.native_port, "CQL", "COODIE_CASSANDRA_PORT"),
            (spec.storage_port, "storage", "COODIE_CASSANDRA_STORAGE_PORT"),
        ):
            if not port_is_free(spec.address, port):
                raise PortInUseError(
                    f"{what} port {spec.address}:{port} is already in use (another Cassandra "
                    "node? try `python -m pytest_coodie stop`), or pick another port with "
                    f"{var}=<port>"
                )


def log_tail(path: Path, lines: int = 40) -> str:
    """Last lines of a node's output log, for error messages."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log written)"
    return "\n".join(text.splitlines()[-lines:])


def process_group_alive(pgid: int) -> bool:
    """True while any non-zombie process is in group ``pgid``.

    Zombies are ignored: a detached node's parent is gone and, in a container, PID 1 may never
    reap it, so ``killpg(pgid, 0)`` alone would report a dead node as alive forever.
    """
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def terminate_groups(
    pgids: list[int],
    grace: float = STOP_GRACE_S,
    procs: list[subprocess.Popen[bytes]] | None = None,
) -> None:
    """SIGTERM each group, wait up to ``grace`` s, then SIGKILL what is left; reap ``procs``."""
    for pgid in pgids:
        _signal_group(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        for proc in procs or []:
            proc.poll()
        if not any(process_group_alive(p) for p in pgids):
            break
        time.sleep(0.2)
    for pgid in pgids:
        if process_group_alive(pgid):
            _signal_group(pgid, signal.SIGKILL)
    for proc in procs or []:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
    kill_deadline = time.monotonic() + 10
    while any(process_group_alive(p) for p in pgids) and time.monotonic() < kill_deadline:
        time.sleep(0.1)


class LocalCassandraCluster(ClusterHandle):
    """Handle for JVMs started by :func:`start_local_cassandra`."""

    def __init__(
        self,
        specs: list[NodeSpec],
        procs: list[subprocess.Popen[bytes]],
        workdir: Path,
        version: str,
        keep_workdir: bool = False,
        credentials: Credentials | None = None,
    ) -> None:
        super().__init__(
            "local-cassandra", [(s.address, s.native_port) for s in specs], credentials
        )
        self.specs = specs
        self.procs = procs
        self.workdir = workdir
        self.version = version
        self.release_version: str | None = None
        self.keep_workdir = keep_workdir
        # Filled in by start_local_cassandra: what `start --node` needs to run a node again.
        self.commands: list[list[str]] = []
        self.java_home: str | None = None
        atexit.register(self.stop)

    @property
    def pids(self) -> list[int]:
        """The process ids of the nodes."""
        return [p.pid for p in self.procs]

    @property
    def pgids(self) -> list[int]:
        """With ``start_new_session=True`` each JVM leads its own group: pgid == pid."""
        return self.pids

    def stop(self) -> None:
        """SIGTERM every node's process group, SIGKILL after the grace period; idempotent."""
        if self._stopped:
            return
        self._stopped = True
        atexit.unregister(self.stop)
        terminate_groups(self.pgids, procs=self.procs)
        if not self.keep_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def detach(self) -> dict[str, Any]:
        """Leave the nodes running after this process exits (CLI ``start``); returns the
        state :func:`stop_detached` needs."""
        atexit.unregister(self.stop)
        self._stopped = True
        return {
            "kind": self.kind,
            "contact_points": [list(cp) for cp in self.contact_points],
            "pids": self.pids,
            "pgids": self.pgids,
            "workdir": str(self.workdir),
            "version": self.version,
            "release_version": self.release_version,
            "logs": [str(s.output_log) for s in self.specs],
            "credentials": list(self.credentials) if self.credentials else None,
            "java_home": self.java_home,
            "nodes": [
                {
                    "address": spec.address,
                    "port": spec.native_port,
                    "pid": proc.pid,
                    "command": command,
                    "cwd": str(spec.workdir),
                    "log": str(spec.output_log),
                }
                for spec, proc, command in zip(self.specs, self.procs, self.commands, strict=False)
            ],
        }

    def wait_ready(self, timeout: float) -> str:
        """Poll every node with the CQL probe; raise at once if a JVM exits. With
        authentication: log in as the default superuser (which the node creates a moment
        after it serves CQL), set up the credentials asked for, then log in with them."""
        deadline = time.monotonic() + timeout
        if self.credentials is None:
            version = self._wait_all(deadline, timeout, None)
        else:
            self._wait_all(deadline, timeout, DEFAULT_CREDENTIALS)
            first = self.specs[0]
            set_up_role(first.address, first.native_port, self.credentials)
            version = self._wait_all(deadline, timeout, self.credentials)
        self.release_version = version
        return version

    def _wait_all(self, deadline: float, timeout: float, credentials: Credentials | None) -> str:
        pending = list(range(len(self.specs)))
        version = ""
        last_error = "no attempt yet"
        while pending:
            for i in list(pending):
                spec, proc = self.specs[i], self.procs[i]
                if proc.poll() is not None:
                    raise NodeStartError(
                        f"Cassandra node {spec.index} ({spec.address}) exited with code "
                        f"{proc.returncode} during start-up; last log lines of "
                        f"{spec.output_log}:\n{log_tail(spec.output_log)}"
                    )
                try:
                    version = probe(
                        spec.address, spec.native_port, timeout=5.0, credentials=credentials
                    )
                except (OSError, CQLProbeError) as exc:
                    last_error = f"{type(exc).__name__}: {exc}"
                    continue
                pending.remove(i)
            if not pending:
                break
            if time.monotonic() > deadline:
                spec = self.specs[pending[0]]
                raise NodeStartError(
                    f"Cassandra node {spec.index} did not answer CQL on {spec.address}:"
                    f"{spec.native_port} within {timeout:.0f} s (last probe: {last_error}); "
                    f"last log lines:\n{log_tail(spec.output_log)}"
                )
            time.sleep(_POLL_INTERVAL_S)
        return version


def prepare_node(spec: NodeSpec, *, auth: bool = False) -> None:
    """Create the node's folders and write its cassandra.yaml and logback.xml."""
    for folder in (spec.conf_dir, spec.triggers_dir, spec.data_dir, spec.log_dir):
        folder.mkdir(parents=True, exist_ok=True)
    spec.yaml_path.write_text(config.cassandra_yaml(spec, auth=auth), encoding="utf-8")
    spec.logback_path.write_text(config.logback_xml(), encoding="utf-8")


def find_jamm(lib: Path) -> Path:
    """The jamm agent jar; the JVM dies at start-up without ``-javaagent`` pointing at it."""
    jars = sorted(lib.glob("jamm-*.jar"))
    if not jars:
        raise NodeStartError(f"no jamm-*.jar in {lib}; delete that folder to re-download")
    return jars[-1]


def start_local_cassandra(
    nodes: int = 1,
    *,
    native_port: int | None = None,
    storage_port: int | None = None,
    version: str | None = None,
    heap: str | None = None,
    timeout: float | None = None,
    env: Mapping[str, str] | None = None,
    auth: Credentials | None = None,
) -> LocalCassandraCluster:
    """Fetch jars if needed, start ``nodes`` JVMs on 127.0.0.1..N and wait until CQL answers.

    ``auth`` (else COODIE_CASSANDRA_AUTH): ``(user, password)`` clients must log in with.
    """
    env = os.environ if env is None else env
    auth = auth or auth_from_env(env)
    native_port = native_port or _env_int(env, "COODIE_CASSANDRA_PORT", config.DEFAULT_NATIVE_PORT)
    storage_port = storage_port or _env_int(
        env, "COODIE_CASSANDRA_STORAGE_PORT", config.DEFAULT_STORAGE_PORT
    )
    heap = heap or env.get("COODIE_CASSANDRA_HEAP") or config.DEFAULT_HEAP
    if timeout is None:
        timeout = startup_timeout(nodes, env)
    version = version or cassandra_version(env)

    java = find_java(env)
    lib = ensure_jars(version, env)
    jamm = find_jamm(lib)
    workdir = Path(tempfile.mkdtemp(prefix="coodie-cassandra-"))
    specs = config.node_specs(nodes, workdir, native_port=native_port, storage_port=storage_port)
    try:
        check_ports(specs)
    except PortInUseError:
        shutil.rmtree(workdir, ignore_errors=True)
        raise

    run_env = dict(env)
    run_env["JAVA_HOME"] = str(java.home)
    procs: list[subprocess.Popen[bytes]] = []
    cluster = LocalCassandraCluster(
        specs,
        procs,
        workdir,
        version,
        keep_workdir=keep_workdir(env),
        credentials=auth,
    )
    cluster.java_home = str(java.home)
    try:
        for spec in specs:
            prepare_node(spec, auth=auth is not None)
            command = config.java_command(
                java.executable,
                spec,
                lib,
                jamm,
                nodes=nodes,
                heap=heap,
                full_jdk=java.is_full_jdk,
            )
            cluster.commands.append(command)
            with open(spec.output_log, "wb") as log:
                procs.append(
                    subprocess.Popen(
                        command,
                        cwd=spec.workdir,
                        env=run_env,
                        stdin=subprocess.DEVNULL,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        cluster.wait_ready(timeout)
    except BaseException:
        cluster.keep_workdir = True  # keep the logs that explain the failure
        cluster.stop()
        raise
    return cluster


def stop_detached(
    state: Mapping[str, Any],
    grace: float = STOP_GRACE_S,
    env: Mapping[str, str] | None = None,
) -> None:
    """Stop nodes left running by :meth:`LocalCassandraCluster.detach` (CLI ``stop``); their
    folder is removed unless COODIE_KEEP_WORKDIR is set (in ``env``, default os.environ)."""
    pgids = [int(p) for p in state.get("pgids", [])]
    terminate_groups(pgids, grace=grace)
    workdir = state.get("workdir")
    if workdir and not keep_workdir(os.environ if env is None else env):
        shutil.rmtree(str(workdir), ignore_errors=True)

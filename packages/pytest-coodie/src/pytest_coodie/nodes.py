"""Per-node control of a local cluster left running by the CLI: status, stop, start, restart.

The state file (see :meth:`LocalCassandraCluster.detach`) records, per node, its address,
CQL port, pid and the exact command that started it, so a stopped or killed node can be
started again on the same folder (same data, same ring position) by another process.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cqlprobe import probe
from .errors import CoodieNodeError, CQLProbeError, NodeStartError

if TYPE_CHECKING:
    from collections.abc import Callable

    from .cqlprobe import Credentials

#: Seconds one node gets to answer CQL once started (``start --node``), unless given.
NODE_STARTUP_TIMEOUT_S = 120.0
_POLL_INTERVAL_S = 1.0


@dataclass(frozen=True)
class NodeState:
    """What ``status`` reports about one recorded node."""

    index: int  # 1-based, as in --node
    address: str
    port: int
    pid: int | None  # None: stopped through the CLI
    process_alive: bool
    answers: bool

    @property
    def up(self) -> bool:
        """Whether the node's process runs and it answers CQL."""
        return self.process_alive and self.answers

    def line(self) -> str:
        """One ``status`` line: index, up/down, address, port and pid."""
        pid = self.pid if self.pid is not None and self.process_alive else "-"
        return (
            f"node {self.index}: {'up' if self.up else 'down'} {self.address}:{self.port} pid {pid}"
        )


def _credentials(state: dict[str, Any]) -> Credentials | None:
    raw = state.get("credentials")
    return (str(raw[0]), str(raw[1])) if raw else None


def recorded_nodes(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-node entries of a local cluster's state; a typed error for anything else."""
    if state.get("kind") != "local-cassandra":
        raise CoodieNodeError(
            f"per-node control needs a local cluster started by `python -m pytest_coodie "
            f"start`; the recorded one is {state.get('kind')!r}"
        )
    nodes = state.get("nodes")
    if not isinstance(nodes, list) or not nodes:
        raise CoodieNodeError(
            "the state file predates per-node control (no 'nodes' entry): run `python -m "
            "pytest_coodie stop` and `start` again"
        )
    return nodes


def node_entry(state: dict[str, Any], index: int) -> dict[str, Any]:
    """The recorded entry of node ``index`` (1-based); a typed error naming the valid range."""
    nodes = recorded_nodes(state)
    if not 1 <= index <= len(nodes):
        raise CoodieNodeError(
            f"--node {index}: the recorded cluster has nodes 1..{len(nodes)}; pick one of those"
        )
    return nodes[index - 1]


def _answers(address: str, port: int, credentials: Credentials | None) -> bool:
    try:
        probe(address, port, timeout=5.0, credentials=credentials)
    except (OSError, CQLProbeError):
        return False
    return True


def node_states(
    state: dict[str, Any], alive: Callable[[int], bool], answers: Callable[..., bool] | None = None
) -> list[NodeState]:
    """Each recorded node: is its process there (``alive(pgid)``), does it answer CQL."""
    answers = answers or _answers
    credentials = _credentials(state)
    result = []
    for i, node in enumerate(recorded_nodes(state), start=1):
        pid = node.get("pid")
        process_alive = pid is not None and alive(int(pid))
        address, port = str(node["address"]), int(node["port"])
        reachable = process_alive and answers(address, port, credentials)
        result.append(NodeState(i, address, port, pid, process_alive, reachable))
    return result


def _sync_pids(state: dict[str, Any]) -> None:
    """Keep the whole-cluster ``pids``/``pgids`` (read by ``stop`` and older tools) in step."""
    pids = [int(n["pid"]) for n in state["nodes"] if n.get("pid") is not None]
    state["pids"] = pids
    state["pgids"] = list(pids)


def stop_node(
    state: dict[str, Any], index: int, terminate: Callable[[list[int]], None]
) -> dict[str, Any]:
    """Stop node ``index`` (its folder stays, for ``start --node``); returns the new state."""
    node = node_entry(state, index)
    if node.get("pid") is not None:
        terminate([int(node["pid"])])
    node["pid"] = None
    _sync_pids(state)
    return state


def _spawn(command: list[str], cwd: str, env: dict[str, str], log: str) -> Any:
    """Run a node's JVM in its own session (so it outlives this command), output appended
    to its log."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def start_node(
    state: dict[str, Any],
    index: int,
    *,
    alive: Callable[[int], bool],
    timeout: float | None = None,
    answers: Callable[..., bool] | None = None,
) -> dict[str, Any]:
    """Start node ``index`` again with the command and folder it first ran with, and wait
    until it answers CQL; returns the new state. A node that is up is left alone."""
    node = node_entry(state, index)
    pid = node.get("pid")
    if pid is not None and alive(int(pid)):
        return state
    command, cwd, log = node.get("command"), node.get("cwd"), node.get("log")
    if not command or not cwd or not log or not Path(str(cwd)).is_dir():
        raise CoodieNodeError(
            f"node {index} cannot be started again: its command or folder ({cwd}) is gone; "
            "run `python -m pytest_coodie stop` and `start` again"
        )
    env = dict(os.environ)
    if state.get("java_home"):
        env["JAVA_HOME"] = str(state["java_home"])
    proc = _spawn([str(c) for c in command], str(cwd), env, str(log))
    node["pid"] = proc.pid
    _sync_pids(state)
    wait_node(
        proc, node, _credentials(state), timeout or NODE_STARTUP_TIMEOUT_S, answers or _answers
    )
    return state


def wait_node(
    proc: Any,
    node: dict[str, Any],
    credentials: Credentials | None,
    timeout: float,
    answers: Callable[..., bool] = _answers,
) -> None:
    """Poll one node until it answers CQL; raise at once if its JVM exits."""
    from .local import log_tail

    address, port = str(node["address"]), int(node["port"])
    deadline = time.monotonic() + timeout
    while not answers(address, port, credentials):
        if proc.poll() is not None:
            node["pid"] = None
            raise NodeStartError(
                f"node {address}:{port} exited with code {proc.returncode} while starting; "
                f"last log lines of {node['log']}:\n{log_tail(Path(str(node['log'])))}"
            )
        if time.monotonic() > deadline:
            raise NodeStartError(
                f"node {address}:{port} did not answer CQL within {timeout:.0f} s; give it "
                "longer with --timeout"
            )
        time.sleep(_POLL_INTERVAL_S)

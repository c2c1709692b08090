"""``python -m pytest_coodie start|stop|status|fetch``: a node that outlives one command.

``start`` prints only ``host:port[,host:port]`` on stdout, so a script can do
``export COODIE_TEST_HOSTS=$(python -m pytest_coodie start)``; progress goes to stderr.
A JSON state file lets ``stop`` and ``status`` find the node from another process;
``--node N`` stops, starts or restarts one node of a local cluster (see :mod:`.nodes`).

Exit codes: 0 done / every node up; 1 (``status``) nothing recorded or nothing answers;
2 an error (one ``error: ...`` line on stderr); 3 (``status``) some nodes up, some down.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .auth import auth_from_env, parse_auth
from .cqlprobe import probe
from .errors import CoodieNodeError, CQLProbeError
from .fetch import cache_root, cassandra_version, ensure_jars
from .launcher import hosts_from_env, provide_cluster
from .local import process_group_alive, stop_detached, terminate_groups
from .nodes import node_states, start_node, stop_node

if TYPE_CHECKING:
    from collections.abc import Sequence


def state_file() -> Path:
    """COODIE_STATE_FILE, else ``<cache root>/node-state.json``."""
    explicit = os.environ.get("COODIE_STATE_FILE")
    return Path(explicit) if explicit else cache_root() / "node-state.json"


def read_state(path: Path) -> dict[str, Any] | None:
    """The node state recorded at ``path``, or ``None`` when there is none (or it is unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_state(path: Path, state: dict[str, Any]) -> None:
    """Write via rename so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def hosts_of(state: dict[str, Any]) -> list[tuple[str, int]]:
    """The ``(host, port)`` contact points of a recorded state."""
    return [(str(h), int(p)) for h, p in state.get("contact_points", [])]


def credentials_of(state: dict[str, Any]) -> tuple[str, str] | None:
    """The ``(user, password)`` a recorded node was started with, or ``None``."""
    raw = state.get("credentials")
    return (str(raw[0]), str(raw[1])) if raw else None


def state_alive(state: dict[str, Any]) -> bool:
    """Processes still there (local) and the first contact point answers CQL (logged in
    with the node's credentials when it was started with authentication)."""
    pgids = [int(p) for p in state.get("pgids", [])]
    if state.get("kind") == "local-cassandra" and not all(map(process_group_alive, pgids)):
        return False
    points = hosts_of(state)
    if not points:
        return False
    try:
        probe(*points[0], timeout=5.0, credentials=credentials_of(state))
    except (OSError, CQLProbeError):
        return False
    return True


def _joined(points: list[tuple[str, int]]) -> str:
    return ",".join(f"{h}:{p}" for h, p in points)


EXIT_DEGRADED = 3


def _recorded(path: Path) -> dict[str, Any]:
    state = read_state(path)
    if state is None:
        raise CoodieNodeError(f"no cluster recorded in {path}: run `python -m pytest_coodie start`")
    return state


def cmd_start_node(args: argparse.Namespace) -> int:
    """``start --node N``: start one recorded node again, on its own folder."""
    path = state_file()
    state = _recorded(path)
    began = time.monotonic()
    try:
        start_node(state, args.node, alive=process_group_alive, timeout=args.timeout)
    finally:
        write_state(path, state)  # the new pid, or None if it died while starting
    print(f"node {args.node} up in {time.monotonic() - began:.1f} s", file=sys.stderr)
    return 0


def cmd_stop_node(args: argparse.Namespace) -> int:
    """``stop --node N``: stop one node of the recorded cluster, keeping its folder."""
    path = state_file()
    write_state(path, stop_node(_recorded(path), args.node, terminate_groups))
    print(f"stopped node {args.node} (its folder is kept)", file=sys.stderr)
    return 0


def cmd_restart(args: argparse.Namespace) -> int:
    """``restart --node N``: stop one node, then start it again."""
    cmd_stop_node(args)
    return cmd_start_node(args)


def cmd_start(args: argparse.Namespace) -> int:
    """``start``: start a node (or reuse the recorded one) and print its contact points."""
    if args.node is not None:
        return cmd_start_node(args)
    path = state_file()
    state = read_state(path)
    auth = parse_auth(args.auth) if args.auth else auth_from_env()
    if hosts_from_env() is not None:  # user-given hosts win, as in provide_cluster
        state = None
    if state is not None:
        if credentials_of(state) != auth:
            raise CoodieNodeError(
                f"the node recorded in {path} was started "
                f"{'with' if credentials_of(state) else 'without'} authentication other than "
                "asked: stop it first, or give this node its own COODIE_STATE_FILE"
            )
        if state_alive(state):
            print(f"already running ({state.get('kind')})", file=sys.stderr)
            print(_joined(hosts_of(state)))
            return 0
        _stop_state(state)
        path.unlink(missing_ok=True)
    # Ryuk would remove the container as soon as this command exits.
    os.environ["TESTCONTAINERS_RYUK_DISABLED"] = "true"
    began = time.monotonic()
    handle = provide_cluster(args.nodes, timeout=args.timeout, auth=auth)
    detach = getattr(handle, "detach", None)
    if callable(detach):
        new_state: dict[str, Any] = detach()
    else:
        new_state = {
            "kind": handle.kind,
            "contact_points": [list(c) for c in handle.contact_points],
            "credentials": list(handle.credentials) if handle.credentials else None,
        }
    write_state(path, new_state)
    print(
        f"{handle.kind} ready in {time.monotonic() - began:.1f} s (state: {path})",
        file=sys.stderr,
    )
    print(",".join(handle.hosts))
    return 0


def _stop_state(state: dict[str, Any]) -> None:
    kind = state.get("kind")
    if kind == "local-cassandra":
        stop_detached(state)
    elif kind == "docker-scylla" and state.get("container_id"):
        from .docker import remove_container

        remove_container(str(state["container_id"]))


def cmd_stop(args: argparse.Namespace) -> int:
    """``stop``: stop the recorded node and forget it."""
    if args.node is not None:
        return cmd_stop_node(args)
    path = state_file()
    state = read_state(path)
    if state is None:
        print("no node recorded; nothing to stop", file=sys.stderr)
        return 0
    _stop_state(state)
    path.unlink(missing_ok=True)
    print(f"stopped {state.get('kind')} {_joined(hosts_of(state))}", file=sys.stderr)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """``status``: print whether the recorded node answers (exit 1 when not)."""
    state = read_state(state_file())
    if state is None:
        print("stopped")
        return 1
    if state.get("kind") == "local-cassandra" and state.get("nodes"):
        return _status_per_node(state)
    if not state_alive(state):
        print(f"not answering: {state.get('kind')} {_joined(hosts_of(state))}")
        return 1
    print(f"running: {state.get('kind')} {_joined(hosts_of(state))}")
    return 0


def _status_per_node(state: dict[str, Any]) -> int:
    """First line for the whole cluster (as before), then one line per node."""
    nodes = node_states(state, process_group_alive)
    up = sum(n.up for n in nodes)
    where = f"{state.get('kind')} {_joined(hosts_of(state))}"
    if up == len(nodes):
        print(f"running: {where}")
    elif up:
        print(f"degraded: {up} of {len(nodes)} nodes up: {where}")
    else:
        print(f"not answering: {where}")
    for node in nodes:
        print(node.line())
    if up == len(nodes):
        return 0
    return EXIT_DEGRADED if up else 1


def cmd_fetch(args: argparse.Namespace) -> int:
    """``fetch``: download the Cassandra jars (``--version``) to the cache; print their folder."""
    began = time.monotonic()
    lib = ensure_jars(args.version)
    jars = len(list(lib.glob("*.jar")))
    print(f"{jars} jars in {time.monotonic() - began:.1f} s", file=sys.stderr)
    print(lib)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``python -m pytest_coodie``."""
    parser = argparse.ArgumentParser(
        prog="python -m pytest_coodie", description="Manage the coodie test node."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start a node (detached) and print host:port")
    start.add_argument("--nodes", type=int, default=1, help="local nodes (default 1)")
    start.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="start-up timeout, seconds (default: COODIE_STARTUP_TIMEOUT, else 180 + 120 per "
        "extra node; with --node 120)",
    )
    start.add_argument(
        "--node",
        type=int,
        default=None,
        metavar="N",
        help="start node N (1-based) of the recorded local cluster again, on its folder",
    )
    start.add_argument(
        "--auth",
        nargs="?",
        const="cassandra:cassandra",
        default=None,
        metavar="USER:PASSWORD",
        help="require a login (PasswordAuthenticator); without a value cassandra:cassandra "
        "(default: COODIE_CASSANDRA_AUTH)",
    )
    start.set_defaults(func=cmd_start)
    stop = sub.add_parser("stop", help="stop the node(s) recorded in the state file")
    stop.add_argument(
        "--node", type=int, default=None, metavar="N", help="stop only node N (folder kept)"
    )
    stop.set_defaults(func=cmd_stop)
    restart = sub.add_parser("restart", help="stop and start one node of the local cluster")
    restart.add_argument("--node", type=int, required=True, metavar="N", help="1-based")
    restart.add_argument("--timeout", type=float, default=None, help="seconds (default 120)")
    restart.set_defaults(func=cmd_restart)
    sub.add_parser(
        "status", help="exit 0 if every recorded node answers CQL (3: some, 1: none)"
    ).set_defaults(func=cmd_status)
    fetch = sub.add_parser("fetch", help="download the Cassandra jars into the cache")
    fetch.add_argument("--version", default=None, help=f"default {cassandra_version()}")
    fetch.set_defaults(func=cmd_fetch)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv``; exit status 2 on a CoodieNodeError."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except CoodieNodeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return code

"""Per-node stop/start/restart/status of a recorded local cluster, with fake JVMs.

The "nodes" are ``python -c 'sleep'`` processes in their own session, and CQL answers are
faked by patching :func:`pytest_coodie.nodes._answers` to "answers while its process lives".
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_coodie import config, nodes
from pytest_coodie.cli import main, read_state, write_state
from pytest_coodie.local import (
    LocalCassandraCluster,
    process_group_alive,
    startup_timeout,
    stop_detached,
    terminate_groups,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


SPAWNED: list[subprocess.Popen[bytes]] = []
FOLDERS: dict[int, str] = {}  # pid -> name of the node folder it was started in


def spawn(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    SPAWNED.append(proc)
    FOLDERS[proc.pid] = log.parent.name
    return proc


@pytest.fixture(autouse=True)
def _reap(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Record what start --node runs, and reap every fake node after the test."""
    real = nodes._spawn

    def recording(*args: Any) -> Any:
        proc = real(*args)
        SPAWNED.append(proc)
        if args[0] == SLEEPER:  # (command, cwd, env, log); others never "answer"
            FOLDERS[proc.pid] = Path(args[1]).name
        return proc

    monkeypatch.setattr(nodes, "_spawn", recording)
    yield
    terminate_groups([p.pid for p in SPAWNED], grace=2, procs=SPAWNED)
    SPAWNED.clear()
    FOLDERS.clear()


@pytest.fixture
def cluster(
    tmp_path: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, Any]]:
    """A recorded 2-node local cluster whose nodes are sleeping Python processes."""
    entries = []
    for i in (1, 2):
        folder = tmp_path / f"node{i}"
        folder.mkdir()
        log = folder / "output.log"
        proc = spawn(SLEEPER, log)
        entries.append(
            {
                "address": f"127.0.0.{i}",
                "port": 9042,
                "pid": proc.pid,
                "command": SLEEPER,
                "cwd": str(folder),
                "log": str(log),
            }
        )
    state: dict[str, Any] = {
        "kind": "local-cassandra",
        "contact_points": [["127.0.0.1", 9042], ["127.0.0.2", 9042]],
        "pids": [e["pid"] for e in entries],
        "pgids": [e["pid"] for e in entries],
        "workdir": str(tmp_path),
        "credentials": None,
        "java_home": None,
        "nodes": entries,
    }
    write_state(state_path, state)

    def answers(address: str, port: int, credentials: object) -> bool:
        # A fake node "answers CQL" while a process started in its folder runs.
        folder = f"node{address.rsplit('.', 1)[-1]}"
        return any(p.poll() is None for p in SPAWNED if FOLDERS.get(p.pid) == folder)

    monkeypatch.setattr(nodes, "_answers", answers)
    yield state
    final = read_state(state_path) or state
    terminate_groups([int(p) for p in final.get("pgids", [])], grace=2)


def test_status_reports_each_node_and_exit_codes(
    cluster: dict[str, Any], state_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "running: local-cassandra 127.0.0.1:9042,127.0.0.2:9042"
    assert lines[1] == f"node 1: up 127.0.0.1:9042 pid {cluster['nodes'][0]['pid']}"
    assert lines[2].startswith("node 2: up 127.0.0.2:9042 pid ")

    terminate_groups([cluster["nodes"][1]["pid"]], grace=2)  # node 2 killed behind our back
    assert main(["status"]) == 3
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "degraded: 1 of 2 nodes up: local-cassandra 127.0.0.1:9042,127.0.0.2:9042"
    assert lines[2] == "node 2: down 127.0.0.2:9042 pid -"

    terminate_groups([cluster["nodes"][0]["pid"]], grace=2)
    assert main(["status"]) == 1
    assert capsys.readouterr().out.splitlines()[0].startswith("not answering: ")


def test_stop_node_keeps_the_others_and_the_folder(
    cluster: dict[str, Any], state_path: Path
) -> None:
    first, second = (n["pid"] for n in cluster["nodes"])
    assert main(["stop", "--node", "2"]) == 0
    assert not process_group_alive(second)
    assert process_group_alive(first)
    state = json.loads(state_path.read_text())
    assert state["nodes"][1]["pid"] is None
    assert state["pgids"] == [first]
    assert (state_path.parent / "node2").is_dir()


def test_start_node_runs_its_command_again(cluster: dict[str, Any], state_path: Path) -> None:
    old = cluster["nodes"][1]["pid"]
    terminate_groups([old], grace=2)  # killed, not stopped: the state still has its pid
    assert main(["start", "--node", "2"]) == 0
    state = json.loads(state_path.read_text())
    new = state["nodes"][1]["pid"]
    assert new not in (None, old)
    assert process_group_alive(new)
    assert state["pgids"] == [cluster["nodes"][0]["pid"], new]
    assert main(["start", "--node", "2"]) == 0  # already up: left alone
    assert json.loads(state_path.read_text())["nodes"][1]["pid"] == new


def test_restart_node_gives_a_new_process(cluster: dict[str, Any], state_path: Path) -> None:
    old = cluster["nodes"][0]["pid"]
    assert main(["restart", "--node", "1"]) == 0
    new = json.loads(state_path.read_text())["nodes"][0]["pid"]
    assert new != old
    assert not process_group_alive(old)
    assert process_group_alive(new)


def test_a_node_that_dies_while_starting_is_an_error_with_its_log(
    cluster: dict[str, Any], state_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = read_state(state_path)
    assert state is not None
    state["nodes"][1]["command"] = [sys.executable, "-c", "print('boom: bad yaml'); exit(3)"]
    write_state(state_path, state)
    assert main(["stop", "--node", "2"]) == 0
    assert main(["start", "--node", "2", "--timeout", "30"]) == 2
    err = capsys.readouterr().err
    assert "exited with code 3" in err
    assert "boom: bad yaml" in err
    assert json.loads(state_path.read_text())["nodes"][1]["pid"] is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["stop", "--node", "3"], "nodes 1..2"),
        (["start", "--node", "0"], "nodes 1..2"),
        (["restart", "--node", "5"], "nodes 1..2"),
    ],
)
def test_node_out_of_range_is_a_typed_error(
    cluster: dict[str, Any], argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_node_control_needs_a_recorded_local_cluster(
    state_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stop", "--node", "1"]) == 2
    assert "no cluster recorded" in capsys.readouterr().err
    write_state(state_path, {"kind": "env", "contact_points": [["db1", 9042]]})
    assert main(["restart", "--node", "1"]) == 2
    assert "needs a local cluster" in capsys.readouterr().err
    write_state(state_path, {"kind": "local-cassandra", "contact_points": [], "pgids": []})
    assert main(["start", "--node", "1"]) == 2
    assert "predates per-node control" in capsys.readouterr().err


@pytest.mark.parametrize(("keep", "exists"), [("", False), ("1", True)])
def test_stop_honours_keep_workdir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep: str, exists: bool
) -> None:
    workdir = tmp_path / "coodie-cassandra-x"
    (workdir / "node1" / "logs").mkdir(parents=True)
    proc = spawn(SLEEPER, tmp_path / "out.log")
    monkeypatch.setenv("COODIE_KEEP_WORKDIR", keep)
    stop_detached({"pgids": [proc.pid], "workdir": str(workdir)}, grace=2)
    assert not process_group_alive(proc.pid)
    assert workdir.exists() is exists


def test_cli_stop_honours_keep_workdir(
    cluster: dict[str, Any], state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COODIE_KEEP_WORKDIR", "1")
    assert main(["stop"]) == 0
    assert not state_path.exists()
    assert (state_path.parent / "node1").is_dir()
    assert not any(process_group_alive(n["pid"]) for n in cluster["nodes"])


def test_startup_deadline_scales_with_nodes() -> None:
    assert startup_timeout(1, {}) == 180
    assert startup_timeout(2, {}) == 300
    assert startup_timeout(3, {}) == 420
    assert startup_timeout(3, {"COODIE_STARTUP_TIMEOUT": "90"}) == 90


def test_detach_records_what_start_node_needs(tmp_path: Path) -> None:
    specs = config.node_specs(2, tmp_path, native_port=19042)

    class FakeProc:
        def __init__(self, pid: int) -> None:
            self.pid = pid

    cluster = LocalCassandraCluster(specs, [FakeProc(11), FakeProc(12)], tmp_path, "5.0.9")  # type: ignore[list-item]
    cluster.commands = [["java", "-Dnode=1"], ["java", "-Dnode=2"]]
    cluster.java_home = "/jdk"
    state = cluster.detach()
    assert state["java_home"] == "/jdk"
    assert state["nodes"][1] == {
        "address": "127.0.0.2",
        "port": 19042,
        "pid": 12,
        "command": ["java", "-Dnode=2"],
        "cwd": str(tmp_path / "node2"),
        "log": str(tmp_path / "node2" / "logs" / "output.log"),
    }

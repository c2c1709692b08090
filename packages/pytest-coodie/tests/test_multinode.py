"""A real 2-node local cluster driven through the CLI: per-node stop, start, restart, status.

Slow (minutes) and heavy (two JVMs), so it runs only when asked, one at a time, on its own
ports (CQL 39042, storage 37000) and state file, never touching a node on 9042::

    flock /tmp/coodie-multinode.lock env -u COODIE_TEST_HOSTS COODIE_MULTINODE_TESTS=1 \\
        uv run pytest -q -m integration -p no:cacheprovider \\
        packages/pytest-coodie/tests/test_multinode.py
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pytest_coodie import probe
from pytest_coodie.local import process_group_alive

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("COODIE_MULTINODE_TESTS"),
        reason="set COODIE_MULTINODE_TESTS=1 (and hold /tmp/coodie-multinode.lock) to run",
    ),
]

PORT = 39042


@pytest.fixture
def cli_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k != "COODIE_TEST_HOSTS"}
    env.update(
        COODIE_BACKEND="local",
        COODIE_CASSANDRA_PORT=str(PORT),
        COODIE_CASSANDRA_STORAGE_PORT="37000",
        COODIE_CASSANDRA_HEAP="512M",
        COODIE_STATE_FILE=str(tmp_path / "multinode-state.json"),
    )
    yield env
    subprocess.run(  # whatever happened, leave no JVM behind
        [sys.executable, "-m", "pytest_coodie", "stop"], env=env, check=False, timeout=120
    )


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    began = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest_coodie", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    took = time.monotonic() - began
    print(f"{' '.join(args)}: exit {proc.returncode} in {took:.1f} s\n{proc.stdout}{proc.stderr}")
    return proc


def test_stop_start_restart_and_status_per_node(cli_env: dict[str, str]) -> None:
    began = time.monotonic()
    started = cli(cli_env, "start", "--nodes", "2")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == f"127.0.0.1:{PORT},127.0.0.2:{PORT}"
    state_path = Path(cli_env["COODIE_STATE_FILE"])
    state = json.loads(state_path.read_text())
    workdir = Path(state["workdir"])

    status = cli(cli_env, "status")
    assert status.returncode == 0
    assert status.stdout.splitlines()[1].startswith(f"node 1: up 127.0.0.1:{PORT} pid ")
    assert status.stdout.splitlines()[2].startswith(f"node 2: up 127.0.0.2:{PORT} pid ")

    # A node stopped through the CLI: the cluster is degraded, node 1 still serves.
    assert cli(cli_env, "stop", "--node", "2").returncode == 0
    status = cli(cli_env, "status")
    assert status.returncode == 3
    assert f"node 2: down 127.0.0.2:{PORT} pid -" in status.stdout
    assert probe("127.0.0.1", PORT).startswith("5.0.")
    assert (workdir / "node2" / "data").is_dir()

    assert cli(cli_env, "start", "--node", "2").returncode == 0
    assert probe("127.0.0.2", PORT).startswith("5.0.")
    assert cli(cli_env, "status").returncode == 0

    # A node killed behind the CLI's back (what a crash looks like) comes back too.
    killed = json.loads(state_path.read_text())["nodes"][0]["pid"]
    os.killpg(killed, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while process_group_alive(killed) and time.monotonic() < deadline:
        time.sleep(0.2)
    status = cli(cli_env, "status")
    assert status.returncode == 3
    assert f"node 1: down 127.0.0.1:{PORT} pid -" in status.stdout
    assert cli(cli_env, "start", "--node", "1").returncode == 0
    assert probe("127.0.0.1", PORT).startswith("5.0.")

    old = json.loads(state_path.read_text())["nodes"][1]["pid"]
    assert cli(cli_env, "restart", "--node", "2").returncode == 0
    assert json.loads(state_path.read_text())["nodes"][1]["pid"] != old
    assert cli(cli_env, "status").returncode == 0

    assert cli(cli_env, "stop").returncode == 0
    assert not state_path.exists()
    assert not workdir.exists()
    print(f"whole test: {time.monotonic() - began:.1f} s")

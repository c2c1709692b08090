"""The upstream coodie 1.9.3 column of real_node.py: its venv and its subprocess.

Upstream coodie and coodie 2 share the import name ``coodie``, so upstream runs in a venv of
its own, created here with uv on first use (the same Python version as this process, the
same cassandra-driver version), and does its operations in ``upstream_runner.py``, which
times them itself and answers over a pipe.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

UPSTREAM_VERSION = "1.9.3"
HERE = Path(__file__).resolve().parent
VENV_ROOT = Path(
    os.environ.get("COODIE_BENCH_UPSTREAM_VENV", Path.home() / ".cache/coodie/bench-upstream")
)


def _installed(python: Path) -> str | None:
    """'coodie-version cassandra-driver-version' of the venv, or None if it is not usable."""
    if not python.exists():
        return None
    probe = (
        "import importlib.metadata as m; print(m.version('coodie'), m.version('cassandra-driver'))"
    )
    done = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def ensure_venv(driver_version: str, log: Any) -> Path:
    """The Python of a venv holding coodie==1.9.3 and cassandra-driver==``driver_version``."""
    py_version = f"{sys.version_info.major}.{sys.version_info.minor}"
    venv = VENV_ROOT / f"py{py_version}"
    python = venv / "bin" / "python"
    wanted = f"{UPSTREAM_VERSION} {driver_version}"
    if _installed(python) == wanted:
        return python
    log(f"creating {venv} with coodie=={UPSTREAM_VERSION}, cassandra-driver=={driver_version}")
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run(["uv", "venv", "--quiet", "--python", base, str(venv)], check=True)
    subprocess.run(
        [
            "uv",
            "pip",
            "install",
            "--quiet",
            "--python",
            str(python),
            f"coodie=={UPSTREAM_VERSION}",
            f"cassandra-driver=={driver_version}",
        ],
        check=True,
    )
    got = _installed(python)
    if got != wanted:
        raise RuntimeError(f"{venv}: installed {got!r}, expected {wanted!r}")
    return python


class UpstreamProcess:
    """upstream_runner.py in a subprocess: ``call(cmd=..., ...)`` sends one request and
    returns the reply (a runner error is raised here with its message)."""

    def __init__(self, python: Path, hosts: list[str]) -> None:
        self.proc = subprocess.Popen(
            [str(python), str(HERE / "upstream_runner.py")],
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.info: dict[str, str] = self.call(cmd="setup", hosts=hosts)

    def call(self, **request: Any) -> Any:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"upstream runner exited ({self.proc.poll()}) on {request}")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"upstream runner, {request['cmd']}: {reply['error']}")
        return reply["ok"]

    def timed(self, op: str, api: str, n: int) -> Any:
        """Prepare ``n`` items of ``op`` in the runner now (untimed); the returned callable runs
        them and returns (items, wall s, process CPU s, thread CPU s) measured in the runner."""
        self.call(cmd="prepare", op=op, api=api, n=n)
        return lambda: tuple(self.call(cmd="run"))

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.write('{"cmd": "quit"}\n')
                self.proc.stdin.close()
                self.proc.wait(timeout=20)
            except Exception:
                self.proc.kill()
                self.proc.wait()

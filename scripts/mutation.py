"""Mutation testing of coodie-core's CQL, query validation and type-mapping modules.

    uv run python scripts/mutation.py             # run mutmut, then print the scores
    uv run python scripts/mutation.py --report    # print the scores of the last run only
    uv run python scripts/mutation.py --survivors # also list the surviving mutants

The modules mutated are listed once, in ``[tool.mutmut] only_mutate`` of
packages/coodie-core/pyproject.toml; mutmut runs there against the core unit tests only, at
low priority (``nice -n 10``) with ``--jobs`` worker processes (default 2: the machine is
shared). Each mutant's tests run in a fresh pytest process forked from a warm server, so
models are built, and their CQL cached, under the mutant.

Scores are printed per module twice: over all mutants, and leaving aside those that only
change message text (every difference from the original is a string literal inside a
``raise`` statement or inside the call that builds an exception or an error message).
Killed means a test failed (or timed out) with the mutant in place; the last column counts
the timeouts, which a loaded machine makes more frequent.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # mutmut depends on toml there
    import toml as tomllib

CORE = Path(__file__).resolve().parent.parent / "packages" / "coodie-core"
MUTMUT = Path(sys.executable).parent / "mutmut"
DETECTED = {"killed", "timeout", "caught by type check"}
#: Calls whose string arguments are message text: exception classes and the helpers that
#: build an exception (``self.fail``, ``unknown_column``) or a warning.
_MESSAGE_CALL = re.compile(r"(Error|Exception|Failed|Warning)$|^(fail|unknown_\w+|warn)$")
_RESULT = re.compile(r"^\s*(?P<name>[\w.ǁ]+__mutmut_\d+): (?P<status>.+?)\s*$")


@dataclass
class Score:
    total: int = 0
    killed: int = 0
    messages: int = 0
    messages_killed: int = 0
    timeouts: int = 0
    survivors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.total += other.total
        self.killed += other.killed
        self.messages += other.messages
        self.messages_killed += other.messages_killed
        self.timeouts += other.timeouts
        self.survivors += other.survivors

    def line(self, label: str) -> str:
        rest = self.total - self.messages
        rest_killed = self.killed - self.messages_killed
        return (
            f"{label:<28} {self.total:>5} {_pct(self.killed, self.total):>7}"
            f" {rest:>9} {_pct(rest_killed, rest):>7} {self.timeouts:>8}"
        )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def target_patterns() -> list[str]:
    config = tomllib.loads((CORE / "pyproject.toml").read_text())
    return list(config["tool"]["mutmut"]["only_mutate"])


def run_mutmut(jobs: int, names: list[str]) -> None:
    """A full run starts from a fresh copy; a run of some mutants keeps the other results but
    maps tests to functions again, so that tests added since the last run are used."""
    work = CORE / "mutants"
    if not names:
        shutil.rmtree(work, ignore_errors=True)
    (work / "mutmut-stats.json").unlink(missing_ok=True)
    command = ["nice", "-n", "10", str(MUTMUT), "run", "--max-children", str(jobs), *names]
    subprocess.run(command, cwd=CORE, check=True)


def results() -> dict[str, str]:
    out = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"],
        cwd=CORE,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = {}
    for line in out.splitlines():
        match = _RESULT.match(line)
        if match:
            found[match["name"]] = match["status"]
    return found


def split_name(mutant: str) -> tuple[str, str]:
    """``coodie.cql.dml.x_update__mutmut_3`` -> (``src/coodie/cql/dml.py``, function name)."""
    module, _, function = mutant.rpartition(".")
    return "src/" + module.replace(".", "/") + ".py", function


class _Functions:
    """The original and mutated function bodies of one file of mutmut's working copy."""

    def __init__(self, path: Path) -> None:
        tree = ast.parse(path.read_text())
        self.defs: dict[str, ast.AST] = {}
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.defs[node.name] = node

    def message_only(self, function: str) -> bool:
        original = self.defs.get(re.sub(r"__mutmut_\d+$", "__mutmut_orig", function))
        mutant = self.defs.get(function)
        if original is None or mutant is None:
            return False
        changed: list[ast.AST] = []
        if not _diff(original, mutant, changed, top=True):
            return False
        return bool(changed) and all(self._in_message(node) for node in changed)

    def _in_message(self, node: ast.AST) -> bool:
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            return False
        parent = self.parents.get(node)
        while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.stmt)):
            if isinstance(parent, ast.Call) and _MESSAGE_CALL.search(_callee(parent)):
                return True
            parent = self.parents.get(parent)
        return isinstance(parent, ast.Raise)


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _diff(a: ast.AST, b: ast.AST, changed: list[ast.AST], *, top: bool = False) -> bool:
    """Collect the nodes of ``b`` that differ from ``a``; False if the shapes differ beyond
    a swapped constant (then the mutant is not a message change)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, ast.Constant):
        if a.value != b.value:  # type: ignore[attr-defined]
            changed.append(b)
        return True
    for name, value_a in ast.iter_fields(a):
        if top and name == "name":
            continue
        value_b = getattr(b, name, None)
        if isinstance(value_a, list):
            if not isinstance(value_b, list) or len(value_a) != len(value_b):
                return False
            for item_a, item_b in zip(value_a, value_b, strict=True):
                if isinstance(item_a, ast.AST):
                    if not _diff(item_a, item_b, changed):
                        return False
                elif item_a != item_b:
                    return False
        elif isinstance(value_a, ast.AST):
            if not isinstance(value_b, ast.AST) or not _diff(value_a, value_b, changed):
                return False
        elif value_a != value_b:
            return False
    return True


def module_label(path: str) -> str:
    return path.removeprefix("src/coodie/")


def scores(statuses: dict[str, str], patterns: list[str]) -> dict[str, Score]:
    parsed: dict[str, _Functions] = {}
    by_module: dict[str, Score] = defaultdict(Score)
    unchecked = 0
    for mutant, status in sorted(statuses.items()):
        path, function = split_name(mutant)
        if not any(fnmatch.fnmatch(path, p) for p in patterns):
            continue
        if status == "not checked":
            unchecked += 1
            continue
        if path not in parsed:
            parsed[path] = _Functions(CORE / "mutants" / path)
        score = by_module[module_label(path)]
        killed = status in DETECTED
        score.total += 1
        score.killed += killed
        score.timeouts += status == "timeout"
        if parsed[path].message_only(function):
            score.messages += 1
            score.messages_killed += killed
        elif not killed:
            score.survivors.append(f"{mutant} ({status})")
    if unchecked:
        print(f"{unchecked} mutants not checked yet (an interrupted run): left out below.\n")
    return by_module


def report(by_module: dict[str, Score], show_survivors: bool) -> None:
    print(
        f"{'module':<28} {'mutants':>5} {'killed':>7} {'non-msg':>9} {'killed':>7} {'timeouts':>8}"
    )
    groups: dict[str, Score] = defaultdict(Score)
    total = Score()
    for label in sorted(by_module):
        score = by_module[label]
        print(score.line(label))
        if "/" in label:
            groups[label.split("/")[0] + "/"].add(score)
        total.add(score)
    for label, score in sorted(groups.items()):
        print(score.line(label + " (all)"))
    print(total.line("total"))
    if show_survivors:
        print("\nSurviving mutants that change more than message text:")
        for line in total.survivors:
            print("  " + line)
        print(f"\nSee one with: cd {CORE.relative_to(Path.cwd())} && mutmut show NAME")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="only report the last run")
    parser.add_argument("--survivors", action="store_true", help="list surviving mutants")
    parser.add_argument("--jobs", type=int, default=2, help="mutmut worker processes")
    parser.add_argument("names", nargs="*", help="mutant names or globs to (re-)run")
    args = parser.parse_args()
    if not args.report:
        run_mutmut(args.jobs, args.names)
    report(scores(results(), target_patterns()), args.survivors)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The conformance suite's self-test, for any driver: it must fail on every mutant.

A driver package turns its real-driver fixture into the self-test with one line in a test
module::

    from coodie.testing.self_test import mutant_self_test

    TestMutants = mutant_self_test("real_driver")  # a fixture yielding a connected driver

In a normal run ``TestMutants`` holds one test per mutant kind
(:data:`coodie.testing.mutants.MUTANT_KINDS`). Each runs, in a pytest subprocess bounded
in time, the suite's tests that must catch that kind, with ``COODIE_MUTANT=<kind>`` set: in
that process ``TestMutants`` is the conformance suite over the mutant wrapping the real
driver. The test passes when those tests fail, and fails when one passes, errors, or the
run exceeds its bound (a hang). A kind needing what the driver does not declare is skipped,
with the reason.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

import pytest

from coodie.plugins.registry import get_registry
from coodie.testing.conformance import DriverConformanceSuite
from coodie.testing.mutant_plugin import wrap
from coodie.testing.mutants import MUTANT_KINDS, Mutant, kind_named

if TYPE_CHECKING:
    from pathlib import Path

    from coodie.drivers.base import AbstractDriver

__all__ = ["BOUND_SECONDS", "MUTANT_ENV", "mutant_self_test"]

#: Set in the subprocess: the slug of the kind the suite runs over.
MUTANT_ENV = "COODIE_MUTANT"
#: The default bound of one kind's run (start-up and connecting included).
BOUND_SECONDS = 180.0


def mutant_self_test(real_driver: str, *, bound_seconds: float = BOUND_SECONDS) -> type:
    """The self-test class (the suite over one mutant when ``COODIE_MUTANT`` is set).

    ``real_driver`` names a fixture yielding a connected driver of the package whose
    keyspace exists (module- or session-scoped, so each run connects once). Assign the
    result to a ``Test...`` name at module level of a test file.
    """
    slug = os.environ.get(MUTANT_ENV)
    if slug:
        return _suite_over(kind_named(slug), real_driver)
    return _self_test(real_driver, bound_seconds)


def _suite_over(kind: type[Mutant], real_driver: str) -> type:
    @pytest.mark.integration
    class SuiteOverMutant(DriverConformanceSuite):
        @pytest.fixture
        def driver(self, request: pytest.FixtureRequest) -> AbstractDriver:
            return wrap(request.getfixturevalue(real_driver), kind)

    return SuiteOverMutant


def _self_test(real_driver: str, bound_seconds: float) -> type:
    @pytest.mark.integration
    class MutantSelfTest:
        @pytest.mark.parametrize("kind", MUTANT_KINDS, ids=lambda kind: kind.slug)
        def test_the_suite_catches(
            self, kind: type[Mutant], request: pytest.FixtureRequest, tmp_path: Path
        ) -> None:
            driver: AbstractDriver = request.getfixturevalue(real_driver)
            reason = kind.why_not(get_registry().resolve(driver.name))
            if reason is not None:
                pytest.skip(f"mutant {kind.slug!r} cannot apply: {reason}")
            outcomes, output = _run_suite_over(kind, request, tmp_path, bound_seconds)
            _check_caught(kind, outcomes, output)

    return MutantSelfTest


def _contact_points(request: pytest.FixtureRequest) -> str | None:
    """The node the outer run uses, for the subprocess (pytest-coodie's, else the env)."""
    if request.config.pluginmanager.hasplugin("coodie"):
        points: list[str] = request.getfixturevalue("coodie_contact_points")
        return ",".join(points)
    return os.environ.get("COODIE_TEST_HOSTS")


def _run_suite_over(
    kind: type[Mutant], request: pytest.FixtureRequest, tmp_path: Path, bound_seconds: float
) -> tuple[dict[str, set[str]], str]:
    """Each catching test's outcomes (failure, error, skipped, passed) over ``kind``, and
    the tail of the run's output (for messages)."""
    owner = request.node.getparent(pytest.Class)
    assert owner is not None
    node_ids = [f"{request.node.path}::{owner.name}::{test}" for test in kind.caught_by]
    report = tmp_path / f"{kind.slug}.xml"
    env = {**os.environ, MUTANT_ENV: kind.slug}
    hosts = _contact_points(request)
    if hosts:
        env["COODIE_TEST_HOSTS"] = hosts
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "integration"]
    try:
        result = subprocess.run(
            [*command, f"--junitxml={report}", *node_ids],
            cwd=request.config.rootpath,
            env=env,
            capture_output=True,
            text=True,
            timeout=bound_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(
            f"the suite hung on mutant {kind.slug!r} ({kind.rule}): "
            f"{', '.join(kind.caught_by)} did not finish within {bound_seconds:.0f} s"
        )
    if not report.exists():
        pytest.fail(
            f"the run over mutant {kind.slug!r} wrote no report:\n{result.stdout}{result.stderr}"
        )
    outcomes: dict[str, set[str]] = {}
    for case in ET.parse(report).iter("testcase"):
        name = re.sub(r"\[.*\]$", "", case.get("name", ""))
        tags = {child.tag for child in case} & {"failure", "error", "skipped"}
        outcomes.setdefault(name, set()).update(tags or {"passed"})
    return outcomes, result.stdout[-4000:]


def _check_caught(kind: type[Mutant], outcomes: dict[str, set[str]], output: str) -> None:
    missing = [test for test in kind.caught_by if test not in outcomes]
    if missing:
        pytest.fail(
            f"the run over mutant {kind.slug!r} did not run {', '.join(missing)}:\n{output}"
        )
    # An error without a failure means the test never got to its check (a fixture broke).
    escaped = [t for t in kind.caught_by if _escaped(outcomes[t])]
    if escaped:
        pytest.fail(
            f"the suite did not catch mutant {kind.slug!r} (it {kind.rule}): "
            f"{', '.join(f'{t} {sorted(outcomes[t])}' for t in escaped)}:\n{output}"
        )
    if not any("failure" in outcomes[t] for t in kind.caught_by):
        pytest.skip(
            f"every test catching mutant {kind.slug!r} was skipped for this driver: "
            f"{', '.join(kind.caught_by)}"
        )


def _escaped(outcomes: set[str]) -> bool:
    return "passed" in outcomes or ("error" in outcomes and "failure" not in outcomes)

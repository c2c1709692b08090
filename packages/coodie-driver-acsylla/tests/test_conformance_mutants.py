"""The conformance suite's self-test for acsylla: each mutant driver (mutants.py) breaks one
rule, and the suite's tests for that rule must fail on it, all within a bounded time (no test
may hang)."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parents[2]

#: mutant class -> the suite's tests that must catch it.
CAUGHT_BY: dict[str, list[str]] = {
    "IgnoresConsistency": ["test_too_few_replicas_is_unavailable_error"],
    "IgnoresSerialConsistency": [
        "test_requests_carry_the_statement_options",
        "test_async_requests_carry_the_statement_options",
    ],
    "DropsIdempotent": [
        "test_requests_carry_the_statement_options",
        "test_async_requests_carry_the_statement_options",
    ],
    "IgnoresTimeout": ["test_a_client_timeout_is_a_request_timeout_error"],
    "IgnoresPagingState": ["test_paging_sync", "test_paging_async"],
    "RowsAsLists": [
        "test_insert_then_select_returns_tuples_in_column_order",
        "test_async_round_trip",
    ],
    "BlocksTheLoop": ["test_execute_async_leaves_the_event_loop_free"],
    "MapsErrorsWrongly": [
        "test_too_few_replicas_is_unavailable_error",
        "test_cql_the_server_refuses_is_invalid_request_error",
    ],
}
#: For every mutant together; a hanging test would exceed it.
BOUND_SECONDS = 240


@pytest.mark.integration
def test_the_suite_catches_every_acsylla_mutant(acsylla_hosts: list[str], tmp_path: Path) -> None:
    report = tmp_path / "mutants.xml"
    node_ids = [
        f"{HERE / 'mutants.py'}::Test{mutant}::{test}"
        for mutant, tests in CAUGHT_BY.items()
        for test in tests
    ]
    env = {**os.environ, "COODIE_TEST_HOSTS": ",".join(acsylla_hosts)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "integration",
            f"--junitxml={report}",
            *node_ids,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BOUND_SECONDS,
        check=False,
    )
    assert report.exists(), result.stdout + result.stderr
    outcomes: dict[str, str] = {}
    for case in ET.parse(report).iter("testcase"):
        mutant = case.get("classname", "").rsplit(".", 1)[-1].removeprefix("Test")
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = child.tag
        outcomes[f"{mutant}::{case.get('name')}"] = outcome
    expected = {f"{m}::{t}": "failure" for m, tests in CAUGHT_BY.items() for t in tests}
    assert outcomes == expected, result.stdout[-3000:]

"""coodie.testing.mutants / mutant_plugin / self_test without a node: what each kind breaks,
how mutants are registered, and how the self-test judges a run."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest

from coodie.connect import Capability, build_connect_options
from coodie.drivers import BatchStatement, BatchType, Consistency, ResultPage, Statement
from coodie.exceptions import DriverError, InvalidRequestError
from coodie.plugins import DriverRegistry, DriverSpec, hookimpl
from coodie.testing import RecordingDriver
from coodie.testing.mutant_plugin import mutant_name, wrap
from coodie.testing.mutants import MUTANT_KINDS, Mutant, kind_named
from coodie.testing.recording import UNSET
from coodie.testing.self_test import MUTANT_ENV, _check_caught, mutant_self_test

if TYPE_CHECKING:
    from pathlib import Path

    from coodie.connect import ConnectOptions


def _spec(**kwargs: Any) -> DriverSpec:
    def connect(options: ConnectOptions) -> RecordingDriver:
        return RecordingDriver(keyspace=options.keyspace)

    async def connect_async(options: ConnectOptions) -> RecordingDriver:
        return RecordingDriver(keyspace=options.keyspace)

    fields: dict[str, Any] = {"connect": connect, "connect_async": connect_async}
    fields.update(kwargs)
    return DriverSpec(name="recording", **fields)


@pytest.fixture
def recording(registry: DriverRegistry) -> DriverRegistry:
    spec = _spec(capabilities=frozenset({Capability.PAGING_STATE}))

    class Plugin:
        @hookimpl
        def coodie_drivers(self) -> list[DriverSpec]:
            return [spec]

    registry.register(Plugin(), "recording-plugin")
    return registry


def _sent(kind_slug: str, statement: Statement | BatchStatement) -> Statement | BatchStatement:
    inner = RecordingDriver()
    wrap(inner, kind_named(kind_slug)).execute(statement)
    return inner.last


def _full() -> Statement:
    return Statement(
        "SELECT * FROM t WHERE k = ?",
        [1],
        consistency=Consistency.QUORUM,
        serial_consistency=Consistency.SERIAL,
        timeout=2.0,
        fetch_size=7,
        paging_state=b"p",
        idempotent=True,
    )


@pytest.mark.parametrize(
    ("slug", "field", "value"),
    [
        ("paging-state", "paging_state", None),
        ("fetch-size", "fetch_size", None),
        ("consistency", "consistency", None),
        ("serial-consistency", "serial_consistency", None),
        ("idempotent", "idempotent", False),
        ("timeout", "timeout", None),
    ],
)
def test_an_option_kind_drops_its_option_only(
    recording: DriverRegistry, slug: str, field: str, value: Any
) -> None:
    original = _full()
    sent = _sent(slug, original)
    assert getattr(sent, field) == value
    assert getattr(original, field) != value, "the caller's statement must stay unchanged"
    for other in ("paging_state", "fetch_size", "consistency", "timeout", "idempotent"):
        if other != field:
            assert getattr(sent, other) == getattr(original, other)


def test_the_unset_kind_binds_none(recording: DriverRegistry) -> None:
    sent = _sent("unset", Statement("INSERT", [1, UNSET, "x"]))
    assert isinstance(sent, Statement)
    assert list(sent.values) == [1, None, "x"]


def test_the_batch_type_kind_sends_every_batch_logged(recording: DriverRegistry) -> None:
    batch = BatchStatement([Statement("UPDATE c")], batch_type=BatchType.COUNTER)
    sent = _sent("batch-type", batch)
    assert isinstance(sent, BatchStatement)
    assert sent.batch_type is BatchType.LOGGED
    assert batch.batch_type is BatchType.COUNTER


def _failing(error: DriverError) -> RecordingDriver:
    def refuse(statement: Statement | BatchStatement) -> ResultPage:
        raise error

    return RecordingDriver(responder=refuse)


def test_the_swallowing_kind_answers_an_empty_page(recording: DriverRegistry) -> None:
    mutant = wrap(_failing(InvalidRequestError("no")), kind_named("swallows-errors"))
    assert list(mutant.execute(Statement("BAD")).rows) == []
    assert list(asyncio.run(mutant.execute_async(Statement("BAD"))).rows) == []


def test_the_error_mapping_kind_raises_plain_driver_errors(recording: DriverRegistry) -> None:
    mutant = wrap(_failing(InvalidRequestError("no")), kind_named("error-mapping"))
    with pytest.raises(DriverError) as raised:
        mutant.execute(Statement("BAD"))
    assert type(raised.value) is DriverError


def test_the_rows_kind_returns_lists(recording: DriverRegistry) -> None:
    inner = RecordingDriver().queue_rows(["a"], [(1,)]).queue_rows(["a"], [(2,)])
    mutant = wrap(inner, kind_named("rows-as-lists"))
    assert mutant.execute(Statement("S")).rows == [[1]]
    assert asyncio.run(mutant.execute_async(Statement("S"))).rows == [[2]]


def test_the_blocking_kind_runs_the_sync_path_from_execute_async(
    recording: DriverRegistry,
) -> None:
    inner = RecordingDriver()
    calls: list[str] = []
    inner.execute = lambda statement: calls.append("sync") or ResultPage()  # type: ignore[method-assign]
    asyncio.run(wrap(inner, kind_named("blocking")).execute_async(Statement("S")))
    assert calls == ["sync"]


def test_the_blocking_prepare_kind_blocks_only_on_a_new_prepared_text(
    recording: DriverRegistry,
) -> None:
    inner = RecordingDriver()
    calls: list[str] = []
    sync_execute = inner.execute

    def execute(statement: Statement | BatchStatement) -> ResultPage:
        calls.append("sync")
        return sync_execute(statement)

    inner.execute = execute  # type: ignore[method-assign]
    mutant = wrap(inner, kind_named("blocking-prepare"))
    for statement in (Statement("S"), Statement("S"), Statement("T", prepare=False)):
        asyncio.run(mutant.execute_async(statement))
    assert calls == ["sync"]
    assert [s.cql for s in inner.statements] == ["S", "S", "T"]  # type: ignore[union-attr]


def test_a_mutant_passes_the_public_surface_through(recording: DriverRegistry) -> None:
    inner = RecordingDriver(keyspace="ks")
    mutant = wrap(inner, kind_named("consistency"))
    assert mutant.name == "recording-mutant-consistency"
    assert (mutant.keyspace, mutant.unset_value) == ("ks", UNSET)
    seen: list[Any] = []
    mutant.request_observer = seen.append
    assert inner.request_observer == seen.append
    mutant.execute_many([Statement("A"), Statement("B")], concurrency=2)
    assert [s.cql for s in inner.statements] == ["A", "B"]  # type: ignore[union-attr]
    mutant.close()
    assert inner.closed


def test_every_kind_is_registered_as_a_driver_of_its_own(recording: DriverRegistry) -> None:
    wrap(RecordingDriver(), MUTANT_KINDS[0])
    for kind in MUTANT_KINDS:
        spec = recording.resolve(mutant_name("recording", kind))
        assert spec.capabilities == frozenset({Capability.PAGING_STATE})
        driver = spec.connect(build_connect_options(["h"], keyspace="k"))  # type: ignore[misc]
        assert isinstance(driver, kind)
        assert driver.name == spec.name
        assert driver.keyspace == "k"
    wrap(RecordingDriver(), MUTANT_KINDS[1])  # registering twice is harmless


def test_a_kind_needing_what_the_driver_lacks_says_why() -> None:
    bare = _spec(capabilities=frozenset())
    assert kind_named("paging-state").why_not(bare) == (
        f"the recording driver does not declare {Capability.PAGING_STATE.value}"
    )
    assert kind_named("timeout").why_not(_spec(connect=None)) == (
        "the recording driver has no sync path"
    )
    assert kind_named("blocking").why_not(_spec(connect_async=None)) == (
        "the recording driver has no async path"
    )
    assert kind_named("consistency").why_not(bare) is None


def test_an_unknown_kind_lists_the_kinds() -> None:
    with pytest.raises(ValueError, match="paging-state"):
        kind_named("nope")


def test_every_kind_has_a_rule_and_catching_tests() -> None:
    slugs = [kind.slug for kind in MUTANT_KINDS]
    assert len(set(slugs)) == len(slugs) >= 12
    assert all(kind.rule and kind.caught_by for kind in MUTANT_KINDS)


def test_the_helper_gives_the_suite_over_the_mutant_in_the_subprocess(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from coodie.testing.conformance import DriverConformanceSuite

    assert not issubclass(mutant_self_test("real_driver"), DriverConformanceSuite)
    monkeypatch.setenv(MUTANT_ENV, "timeout")
    assert issubclass(mutant_self_test("real_driver"), DriverConformanceSuite)


KIND: type[Mutant] = kind_named("paging-state")  # caught by test_paging_sync and _async


def test_a_run_where_the_catching_tests_fail_is_caught() -> None:
    _check_caught(KIND, {"test_paging_sync": {"failure"}, "test_paging_async": {"failure"}}, "")


@pytest.mark.parametrize("escaped", ["passed", "error"])
def test_a_catching_test_that_passes_or_errors_fails_the_self_test(escaped: str) -> None:
    outcomes = {"test_paging_sync": {"failure"}, "test_paging_async": {escaped}}
    with pytest.raises(pytest.fail.Exception, match="did not catch mutant 'paging-state'"):
        _check_caught(KIND, outcomes, "")


def test_a_failure_with_a_teardown_error_is_still_caught() -> None:
    outcomes = {"test_paging_sync": {"failure", "error"}, "test_paging_async": {"failure"}}
    _check_caught(KIND, outcomes, "")


def test_a_catching_test_that_did_not_run_fails_the_self_test() -> None:
    with pytest.raises(pytest.fail.Exception, match="did not run test_paging_async"):
        _check_caught(KIND, {"test_paging_sync": {"failure"}}, "")


def test_a_kind_whose_catching_tests_all_skip_is_skipped() -> None:
    outcomes = {"test_paging_sync": {"skipped"}, "test_paging_async": {"skipped"}}
    with pytest.raises(pytest.skip.Exception, match="was skipped for this driver"):
        _check_caught(KIND, outcomes, "")


def test_the_scaffold_wires_the_self_test(tmp_path: Path) -> None:
    from coodie.cli.scaffold import scaffold_driver

    scaffold_driver("mydb", tmp_path / "pkg")
    generated = (tmp_path / "pkg" / "tests" / "test_conformance.py").read_text()
    assert 'TestMutants = mutant_self_test("conformance_driver")' in generated

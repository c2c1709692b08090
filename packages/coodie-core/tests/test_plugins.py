"""Driver plugin discovery: entry points, resolution, error messages, the CLI listing."""

import subprocess
import sys
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any

import pytest

import coodie
import coodie.aio
import coodie.sync
from coodie import connections
from coodie.__main__ import main
from coodie.connect import ALL_CAPABILITIES, ConnectOptions, ContactPoint
from coodie.exceptions import (
    ConfigurationError,
    DriverNotFoundError,
    DuplicateDriverError,
    PluginLoadError,
)
from coodie.plugins import DriverRegistry, DriverSpec, hookimpl
from coodie.plugins.registry import ENTRY_POINT_GROUP, get_registry, set_registry
from coodie.testing import RecordingDriver


class FakePlugin:
    """A plugin object implementing the ``coodie_drivers`` hook."""

    def __init__(self, *specs: DriverSpec) -> None:
        self.specs = specs

    @hookimpl
    def coodie_drivers(self) -> list[DriverSpec]:
        return list(self.specs)


class FakeEntryPoint:
    """Quacks like importlib.metadata.EntryPoint for DriverRegistry."""

    def __init__(self, name: str, load: Callable[[], Any], dist: str, version: str) -> None:
        self.name = name
        self._load = load
        self.dist = SimpleNamespace(name=dist, version=version)
        self.loads = 0

    def load(self) -> Any:
        self.loads += 1
        return self._load()


class Calls:
    def __init__(self) -> None:
        self.sync: list[ConnectOptions] = []
        self.aio: list[ConnectOptions] = []


def recording_spec(name: str, calls: Calls | None = None, **kwargs: Any) -> DriverSpec:
    def connect(options: ConnectOptions) -> RecordingDriver:
        if calls is not None:
            calls.sync.append(options)
        return RecordingDriver(keyspace=options.keyspace)

    async def connect_async(options: ConnectOptions) -> RecordingDriver:
        if calls is not None:
            calls.aio.append(options)
        return RecordingDriver(keyspace=options.keyspace)

    kwargs.setdefault("capabilities", ALL_CAPABILITIES)
    return DriverSpec(name=name, connect=connect, connect_async=connect_async, **kwargs)


def registry_of(*entry_points: FakeEntryPoint) -> DriverRegistry:
    return DriverRegistry(entry_points=lambda: list(entry_points))


def plugin_entry_point(dist: str, version: str, *specs: DriverSpec) -> FakeEntryPoint:
    plugin = FakePlugin(*specs)
    return FakeEntryPoint(dist, lambda: plugin, dist, version)


def broken_entry_point(dist: str, error: BaseException) -> FakeEntryPoint:
    def load() -> Any:
        raise error

    return FakeEntryPoint(dist, load, dist, "0.3")


@pytest.fixture
def clean_default_connection() -> Iterable[None]:
    previous = connections.unregister_driver()
    yield
    connections.unregister_driver()
    if previous is not None:
        connections.register_driver(previous)


# -- resolution ------------------------------------------------------------------------


def test_resolve_by_name_and_alias_fills_in_origin() -> None:
    spec = recording_spec("mydb", aliases=("mine",), description="my database")
    registry = registry_of(plugin_entry_point("coodie-driver-mydb", "1.2.0", spec))
    found = registry.resolve("mydb")
    assert found.name == "mydb"
    assert found.distribution == "coodie-driver-mydb"
    assert found.version == "1.2.0"
    assert found.origin() == "coodie-driver-mydb 1.2.0"
    assert registry.resolve("mine") is found
    assert [s.name for s in registry.drivers()] == ["mydb"]
    assert registry.failures == []


def test_entry_points_are_loaded_lazily_and_once() -> None:
    entry_point = plugin_entry_point("dist-a", "1.0", recording_spec("a"))
    registry = registry_of(entry_point)
    assert entry_point.loads == 0  # nothing happens when the registry is created
    registry.resolve("a")
    registry.resolve("a")
    registry.drivers()
    assert entry_point.loads == 1


def test_registered_and_unregistered_plugin(registry: DriverRegistry) -> None:
    registry.register(FakePlugin(recording_spec("temp")), "temp-plugin", distribution="t")
    assert registry.resolve("temp").origin() == "t"
    registry.unregister("temp-plugin")
    with pytest.raises(DriverNotFoundError, match="No coodie driver named 'temp'"):
        registry.resolve("temp")


def test_missing_driver_names_pip_extra_and_installed_drivers() -> None:
    registry = registry_of(
        plugin_entry_point("coodie-driver-cassandra", "0.1.0", recording_spec("cassandra"))
    )
    with pytest.raises(DriverNotFoundError) as info:
        registry.resolve("acsylla")
    assert str(info.value) == (
        "No coodie driver named 'acsylla' is installed. Install it with: "
        'pip install "coodie[acsylla]". Installed drivers: cassandra '
        "(coodie-driver-cassandra 0.1.0)."
    )
    with pytest.raises(DriverNotFoundError, match=r"pip install coodie-driver-mydb\. "):
        registry.resolve("mydb")


def test_missing_driver_with_nothing_installed() -> None:
    with pytest.raises(DriverNotFoundError, match=r'coodie\[scylla\]".*Installed drivers: none'):
        registry_of().resolve("scylla")


def test_broken_plugin_is_reported_and_isolated() -> None:
    error = ImportError("No module named 'acsylla'")
    registry = registry_of(
        broken_entry_point("coodie-driver-acsylla", error),
        plugin_entry_point("coodie-driver-cassandra", "0.1.0", recording_spec("cassandra")),
    )
    # The healthy plugin still works.
    assert registry.resolve("cassandra").name == "cassandra"
    (failure,) = registry.failures
    assert failure.distribution == "coodie-driver-acsylla"
    assert failure.error is error
    with pytest.raises(PluginLoadError) as info:
        registry.resolve("acsylla")
    message = str(info.value)
    assert "No coodie driver named 'acsylla' could be loaded" in message
    assert "coodie-driver-acsylla 0.3" in message
    assert "ImportError: No module named 'acsylla'" in message
    assert info.value.__cause__ is error
    # Other unknown names mention the failed plugin too.
    with pytest.raises(
        DriverNotFoundError, match=r"Plugins that failed to load: the coodie plugin"
    ):
        registry.resolve("other")


def test_plugin_whose_hook_raises_is_reported() -> None:
    class Exploding:
        @hookimpl
        def coodie_drivers(self) -> list[DriverSpec]:
            raise RuntimeError("bad config")

    registry = registry_of(
        FakeEntryPoint("coodie-driver-bad", Exploding, "coodie-driver-bad", "9"),
        plugin_entry_point("good", "1", recording_spec("good")),
    )
    assert [s.name for s in registry.drivers()] == ["good"]
    (failure,) = registry.failures
    assert isinstance(failure.error, RuntimeError)
    assert "RuntimeError: bad config" in failure.describe()


def test_failures_are_not_duplicated_when_drivers_are_recollected() -> None:
    class Exploding:
        @hookimpl
        def coodie_drivers(self) -> list[DriverSpec]:
            raise RuntimeError("bad config")

    registry = registry_of(
        broken_entry_point("coodie-driver-broken", ImportError("gone")),
        FakeEntryPoint("exploding", Exploding, "exploding", "1"),
    )
    assert registry.drivers() == []
    assert len(registry.failures) == 2
    registry.register(FakePlugin(recording_spec("late")), "late")  # forces a new collection
    assert [s.name for s in registry.drivers()] == ["late"]
    kinds = sorted(type(f.error).__name__ for f in registry.failures)
    assert kinds == ["ImportError", "RuntimeError"]
    registry.unregister("exploding")
    assert [s.name for s in registry.drivers()] == ["late"]
    assert [type(f.error).__name__ for f in registry.failures] == ["ImportError"]


def test_plugin_returning_wrong_records_is_reported() -> None:
    registry = registry_of(
        plugin_entry_point("weird", "1", "not a spec", recording_spec("ok"))  # type: ignore[arg-type]
    )
    assert [s.name for s in registry.drivers()] == ["ok"]
    (failure,) = registry.failures
    assert "coodie_drivers() returned str, not DriverSpec" in str(failure.error)


@pytest.mark.parametrize(
    ("first", "second", "claimed"),
    [
        (recording_spec("mydb"), recording_spec("mydb"), "mydb"),
        (recording_spec("one", aliases=("db",)), recording_spec("db"), "db"),
        (recording_spec("one"), recording_spec("two", aliases=("one",)), "one"),
    ],
)
def test_two_plugins_claiming_one_name(first: DriverSpec, second: DriverSpec, claimed: str) -> None:
    registry = registry_of(
        plugin_entry_point("dist-a", "1.0", first), plugin_entry_point("dist-b", "2.0", second)
    )
    with pytest.raises(DuplicateDriverError) as info:
        registry.resolve(claimed)
    message = str(info.value)
    assert f"Two coodie plugins claim the driver name {claimed!r}" in message
    assert "dist-a 1.0" in message
    assert "dist-b 2.0" in message
    assert "Uninstall one of them" in message
    assert registry.report().splitlines()[-1].startswith("error: Two coodie plugins claim")


def test_one_plugin_may_give_a_driver_aliases() -> None:
    spec = recording_spec("scylla", aliases=("scylladb",))
    registry = registry_of(plugin_entry_point("d", "1", spec))
    assert set(registry.specs()) == {"scylla", "scylladb"}
    assert len(registry.drivers()) == 1


def test_real_entry_point_of_coodie_core_provides_recording() -> None:
    registry = DriverRegistry()
    spec = registry.resolve("recording")
    assert spec.distribution == "coodie-core"
    assert "records statements" in spec.description


# -- init_coodie through the registry ------------------------------------------------------


def test_sync_init_coodie_resolves_through_registry(
    registry: DriverRegistry, clean_default_connection: None
) -> None:
    calls = Calls()
    registry.register(FakePlugin(recording_spec("fake", calls)), "fake-plugin")
    driver = coodie.sync.init_coodie("h1, h2", keyspace="shop", driver_type="fake", port=9043)
    assert calls.sync == [
        ConnectOptions(
            contact_points=(ContactPoint("h1", 9043), ContactPoint("h2", 9043)),
            port=9043,
            keyspace="shop",
        )
    ]
    assert calls.aio == []
    assert connections.get_driver() is driver
    assert driver.keyspace == "shop"
    coodie.sync.close_coodie()
    assert driver.closed  # type: ignore[attr-defined]
    assert "default" not in connections.names()
    coodie.sync.close_coodie()  # closing twice is fine


async def test_aio_init_coodie_resolves_through_registry(
    registry: DriverRegistry, clean_default_connection: None
) -> None:
    calls = Calls()
    registry.register(FakePlugin(recording_spec("fake", calls)), "fake-plugin")
    session = object()
    driver = await coodie.aio.init_coodie(session=session, driver_type="fake", name="analytics")
    assert calls.aio == [ConnectOptions(session=session)]
    assert calls.sync == []
    assert connections.get_driver("analytics") is driver
    await coodie.aio.close_coodie("analytics")
    assert driver.closed  # type: ignore[attr-defined]
    assert "analytics" not in connections.names()


async def test_init_coodie_unknown_driver(registry: DriverRegistry) -> None:
    with pytest.raises(DriverNotFoundError, match=r'pip install "coodie\[acsylla\]"'):
        coodie.sync.init_coodie(hosts=["x"], driver_type="acsylla")
    with pytest.raises(DriverNotFoundError, match=r'pip install "coodie\[cassandra\]"'):
        await coodie.aio.init_coodie(hosts=["x"])  # cassandra is the default driver_type


async def test_init_coodie_recording_through_the_real_plugin(
    api: Any, clean_default_connection: None
) -> None:
    previous = set_registry(None)  # a fresh process-wide registry reading real entry points
    try:
        driver = await api(api.module.init_coodie(hosts=["x"], driver_type="recording"))
        assert isinstance(driver, RecordingDriver)
        assert connections.get_driver() is driver
        await api(api.m.Product.find().all())
        assert driver.cql[0].startswith("SELECT id, name")
        await api(api.module.close_coodie())
        assert driver.closed
    finally:
        set_registry(previous)


def test_get_registry_is_a_singleton() -> None:
    previous = set_registry(None)
    try:
        assert get_registry() is get_registry()
    finally:
        set_registry(previous)


# -- python -m coodie drivers ------------------------------------------------------------


def test_cli_lists_drivers(registry: DriverRegistry, capsys: pytest.CaptureFixture[str]) -> None:
    spec = recording_spec("mydb", aliases=("m",), description="my database")
    registry.register(FakePlugin(spec), "p", distribution="coodie-driver-mydb", version="1.0")
    assert main(["drivers"]) == 0
    out = capsys.readouterr().out
    assert "mydb" in out
    assert "coodie-driver-mydb 1.0" in out
    assert "my database (aliases: m)" in out


def test_cli_reports_failures(capsys: pytest.CaptureFixture[str]) -> None:
    registry = registry_of(broken_entry_point("coodie-driver-x", ImportError("nope")))
    previous = set_registry(registry)
    try:
        assert main(["drivers"]) == 1
    finally:
        set_registry(previous)
    out = capsys.readouterr().out
    assert 'no drivers installed; try: pip install "coodie[cassandra]"' in out
    assert "failed: the coodie plugin coodie-driver-x 0.3" in out
    assert "ImportError: nope" in out


def test_cli_reports_duplicates_as_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    registry = registry_of(
        plugin_entry_point("dist-a", "1", recording_spec("x")),
        plugin_entry_point("dist-b", "1", recording_spec("x")),
    )
    previous = set_registry(registry)
    try:
        assert main(["drivers"]) == 1
    finally:
        set_registry(previous)
    assert "error: Two coodie plugins claim the driver name 'x'" in capsys.readouterr().out


def test_cli_needs_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([])
    assert "drivers" in capsys.readouterr().err


def test_cli_subprocess_lists_recording() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coodie", "drivers"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = result.stdout.splitlines()
    recording = [line for line in lines if line.startswith("recording ")]
    assert recording, result.stdout + result.stderr
    assert "coodie-core" in recording[0]
    assert result.returncode in (0, 1)  # 1 only if some other installed plugin is broken
    if result.returncode == 1:
        assert "failed:" in result.stdout


def test_import_coodie_does_not_load_plugins() -> None:
    code = (
        "import coodie, coodie.sync, coodie.aio\n"
        "from coodie.plugins import registry\n"
        "assert registry._registry is None, 'discovery ran at import'\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr


# -- fault isolation: a clashing name, a missing API, a factory returning no driver ----------


def clashing_registry() -> DriverRegistry:
    """dist-a and dist-b both claim ``x``; dist-a also gives ``a`` (alias ``alpha``)."""
    return registry_of(
        plugin_entry_point("dist-a", "1.0", recording_spec("a", aliases=("alpha",))),
        plugin_entry_point("dist-a2", "1.1", recording_spec("x")),
        plugin_entry_point("dist-b", "2.0", recording_spec("x")),
        plugin_entry_point("dist-c", "3.0", recording_spec("c", aliases=("a",))),
    )


def test_a_clash_disables_only_the_names_it_is_about() -> None:
    registry = clashing_registry()
    assert registry.resolve("alpha").distribution == "dist-a"
    assert {s.name for s in registry.drivers()} == {"a", "c"}
    for name, first, second in (("x", "dist-a2 1.1", "dist-b 2.0"), ("a", "dist-a", "dist-c")):
        with pytest.raises(DuplicateDriverError) as info:
            registry.resolve(name)
        assert f"claim the driver name {name!r}" in str(info.value)
        assert first in str(info.value)
        assert second in str(info.value)
    assert sorted(registry.clashes) == ["a", "x"]


def test_the_listing_shows_each_clash_and_every_other_driver(
    capsys: pytest.CaptureFixture[str],
) -> None:
    previous = set_registry(clashing_registry())
    try:
        assert main(["drivers"]) == 1
    finally:
        set_registry(previous)
    out = capsys.readouterr().out
    assert "dist-c 3.0" in out  # c is still listed (and usable by its own name)
    errors = [line for line in out.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert "'a'" in errors[0]
    assert "'x'" in errors[1]
    assert "dist-a2 1.1 and dist-b 2.0" in errors[1]


async def test_init_coodie_with_the_real_plugins_survives_a_clash(
    api: Any, clean_default_connection: None
) -> None:
    """The real entry points plus two fakes claiming one name: recording still connects."""
    from importlib import metadata

    def installed() -> list[Any]:
        real = list(metadata.entry_points(group=ENTRY_POINT_GROUP))
        fakes = [
            plugin_entry_point("dist-a", "1", recording_spec("clash")),
            plugin_entry_point("dist-b", "1", recording_spec("clash")),
        ]
        return [*real, *fakes]

    previous = set_registry(DriverRegistry(entry_points=installed))
    try:
        driver = await api(api.module.init_coodie(hosts=["x"], driver_type="recording"))
        assert isinstance(driver, RecordingDriver)
        await api(api.module.close_coodie())
        with pytest.raises(DuplicateDriverError, match="dist-a 1 and dist-b 1"):
            await api(api.module.init_coodie(hosts=["x"], driver_type="clash"))
    finally:
        set_registry(previous)


# -- a factory that is missing, or returns something that is not a driver -------------------


def _registry_with(registry: DriverRegistry, spec: DriverSpec) -> None:
    registry.register(FakePlugin(spec), "p", distribution="coodie-driver-x", version="0.9")


async def test_a_driver_without_an_async_path_is_refused_by_coodie_aio(
    registry: DriverRegistry, clean_default_connection: None
) -> None:
    spec = recording_spec("x")
    _registry_with(registry, DriverSpec(name="x", connect=spec.connect, connect_async=None))
    with pytest.raises(ConfigurationError) as info:
        await coodie.aio.init_coodie(hosts=["h"], driver_type="x")
    message = str(info.value)
    assert "The x driver (coodie-driver-x 0.9) has no async path" in message
    assert "use coodie.sync.init_coodie" in message
    assert isinstance(coodie.sync.init_coodie(hosts=["h"], driver_type="x"), RecordingDriver)
    assert "x" in registry.report()


def test_a_driver_without_a_sync_path_is_refused_by_coodie_sync(
    registry: DriverRegistry, clean_default_connection: None
) -> None:
    spec = recording_spec("x")
    _registry_with(registry, DriverSpec(name="x", connect=None, connect_async=spec.connect_async))
    with pytest.raises(ConfigurationError, match=r"The x driver .* has no sync path.*coodie\.aio"):
        coodie.sync.init_coodie(hosts=["h"], driver_type="x")


@pytest.mark.parametrize("returned", [None, "a session", RecordingDriver])
async def test_a_factory_must_return_an_abstract_driver(
    api: Any, registry: DriverRegistry, clean_default_connection: None, returned: object
) -> None:
    def connect(options: ConnectOptions) -> Any:
        return returned

    async def connect_async(options: ConnectOptions) -> Any:
        return returned

    _registry_with(registry, DriverSpec(name="x", connect=connect, connect_async=connect_async))
    with pytest.raises(PluginLoadError) as info:
        await api(api.module.init_coodie(hosts=["h"], driver_type="x"))
    message = str(info.value)
    assert "The coodie plugin coodie-driver-x 0.9 is broken" in message
    assert f"returned {type(returned).__name__}, not a coodie.drivers.AbstractDriver" in message
    assert "default" not in connections.names()

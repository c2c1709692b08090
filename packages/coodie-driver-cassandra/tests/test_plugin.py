"""The plugin module: cheap to import, one DriverSpec, factories that import lazily."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import coodie.aio
import coodie.sync
from coodie.exceptions import ConfigurationError
from coodie.plugins.registry import DriverRegistry
from coodie.plugins.spec import DriverSpec
from coodie_driver_cassandra import plugin


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_one_driver_spec_with_aliases() -> None:
    specs = list(plugin.coodie_drivers())
    assert len(specs) == 1
    spec = specs[0]
    assert isinstance(spec, DriverSpec)
    assert spec.name == "cassandra"
    assert spec.aliases == ("scylla", "cassandra-driver", "scylla-driver")
    assert "cassandra-driver" in spec.description or "scylla-driver" in spec.description
    assert spec.connect is plugin.connect
    assert spec.connect_async is plugin.connect_async


def test_registry_resolves_every_alias() -> None:
    registry = DriverRegistry(entry_points=list)
    registry.register(plugin, "coodie-driver-cassandra", distribution="coodie-driver-cassandra")
    for name in ("cassandra", "scylla", "cassandra-driver", "scylla-driver"):
        assert registry.resolve(name).name == "cassandra"


def test_importing_the_plugin_does_not_import_the_client() -> None:
    result = run_python(
        """
        import sys
        import coodie_driver_cassandra
        import coodie_driver_cassandra.plugin as plugin
        plugin.coodie_drivers()
        assert "cassandra" not in sys.modules, sorted(m for m in sys.modules if "cassandra" in m)
        """
    )
    assert result.returncode == 0, result.stderr


def test_package_attributes_load_lazily() -> None:
    import coodie_driver_cassandra as pkg

    assert pkg.connect.__module__ == "coodie_driver_cassandra.connecting"
    assert pkg.CassandraDriver.name == "cassandra"
    with pytest.raises(AttributeError):
        _ = pkg.no_such_thing


def test_missing_client_gives_install_hint() -> None:
    result = run_python(
        """
        import sys
        sys.modules["cassandra"] = None  # as if neither client were installed
        from coodie.exceptions import ConfigurationError
        from coodie.connect import build_connect_options
        from coodie_driver_cassandra import plugin
        try:
            plugin.connect(build_connect_options(hosts=["127.0.0.1"]))
        except ConfigurationError as error:
            print(error)
        else:
            raise SystemExit("no error")
        """
    )
    assert result.returncode == 0, result.stderr
    assert 'pip install "coodie[cassandra]"' in result.stdout


def test_connect_factory_validates_options() -> None:
    # Core validates init_coodie's arguments before the factory runs.
    with pytest.raises(ConfigurationError, match="hosts="):
        coodie.sync.init_coodie(driver_type="cassandra")


async def test_connect_async_factory_validates_options() -> None:
    with pytest.raises(ConfigurationError, match="not both"):
        await coodie.aio.init_coodie(hosts=["h"], session=object(), driver_type="cassandra")

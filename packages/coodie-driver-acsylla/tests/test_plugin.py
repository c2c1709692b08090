"""The plugin registers the ``acsylla`` driver without importing acsylla."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib import metadata

import coodie_driver_acsylla.plugin as plugin
from coodie.plugins.registry import DriverRegistry
from coodie.plugins.spec import DriverSpec


def test_hook_returns_one_driver_spec() -> None:
    specs = list(plugin.coodie_drivers())
    assert len(specs) == 1
    spec = specs[0]
    assert isinstance(spec, DriverSpec)
    assert spec.name == "acsylla"
    assert callable(spec.connect)
    assert callable(spec.connect_async)
    assert "acsylla" in spec.description


def test_registry_resolves_acsylla_from_the_plugin_module() -> None:
    registry = DriverRegistry(entry_points=list)
    registry.register(plugin, "coodie-driver-acsylla", distribution="coodie-driver-acsylla")
    assert registry.resolve("acsylla").name == "acsylla"


def test_entry_point_is_declared() -> None:
    points = [
        ep for ep in metadata.entry_points(group="coodie") if ep.name == "coodie-driver-acsylla"
    ]
    assert points, "install the package (uv sync) so its entry point is visible"
    assert points[0].value == "coodie_driver_acsylla.plugin"


def test_importing_the_plugin_does_not_import_acsylla() -> None:
    code = textwrap.dedent(
        """
        import sys
        import coodie_driver_acsylla.plugin as plugin
        specs = list(plugin.coodie_drivers())
        assert specs[0].name == "acsylla"
        assert "acsylla" not in sys.modules, sorted(m for m in sys.modules if "acsylla" in m)
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"

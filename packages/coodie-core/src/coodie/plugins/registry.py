"""Discovers driver plugins from the ``coodie`` entry-point group and resolves driver names.

Discovery is lazy (first use, not ``import coodie``) and fault-isolated: a plugin that fails
to import is remembered with its exception and reported when somebody asks for a driver,
instead of breaking every program that imports coodie.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from importlib import metadata
from typing import cast

import pluggy

from coodie.connect.capabilities import ALL_CAPABILITIES, Capability
from coodie.exceptions import DriverNotFoundError, DuplicateDriverError, PluginLoadError
from coodie.plugins import hookspecs
from coodie.plugins.spec import DriverSpec

__all__ = ["ENTRY_POINT_GROUP", "DriverRegistry", "PluginFailure", "get_registry"]

ENTRY_POINT_GROUP = "coodie"

#: pip extras of the ``coodie`` meta-package, for "how do I install it" messages.
KNOWN_EXTRAS = {"cassandra": "cassandra", "scylla": "scylla", "acsylla": "acsylla"}


@dataclass(frozen=True)
class PluginFailure:
    """An installed plugin that could not be loaded."""

    entry_point: str
    distribution: str
    version: str
    error: BaseException

    def describe(self) -> str:
        """One sentence naming the plugin's distribution, version, entry point and error."""
        kind = type(self.error).__name__
        return (
            f"the coodie plugin {self.distribution} {self.version} (entry point "
            f"{self.entry_point!r}) is installed but failed to load: {kind}: {self.error}"
        )


EntryPointsProvider = Callable[[], Iterable[metadata.EntryPoint]]


def _installed_entry_points() -> Iterable[metadata.EntryPoint]:
    return metadata.entry_points(group=ENTRY_POINT_GROUP)


class DriverRegistry:
    """Pluggy plugin manager plus the driver records it collected.

    ``entry_points`` is injectable so tests can simulate installed (or broken) plugins.
    """

    def __init__(self, entry_points: EntryPointsProvider = _installed_entry_points) -> None:
        self._entry_points = entry_points
        self._manager = pluggy.PluginManager(hookspecs.PROJECT)
        self._manager.add_hookspecs(hookspecs)
        self._origins: dict[int, tuple[str, str]] = {}
        self._failures: list[PluginFailure] = []
        #: How many of ``_failures`` are import failures; the rest come from the last _collect.
        self._load_failures = 0
        self._specs: dict[str, DriverSpec] | None = None
        #: Driver names two or more plugins claim, with every claimant (from the last _collect).
        self._clashes: dict[str, list[DriverSpec]] = {}
        self._loaded = False

    # -- plugin management -------------------------------------------------------------

    def register(
        self, plugin: object, name: str, *, distribution: str = "", version: str = ""
    ) -> None:
        """Register a plugin object (module or class instance) implementing the hooks."""
        self._manager.register(plugin, name=name)
        self._origins[id(plugin)] = (distribution or name, version)
        self._specs = None

    def unregister(self, name: str) -> None:
        """Remove the plugin registered as ``name`` (no error if there is none)."""
        plugin = self._manager.unregister(name=name)
        if plugin is not None:
            self._origins.pop(id(plugin), None)
        self._specs = None

    def load_entry_points(self) -> None:
        """Import every plugin of the entry-point group once, remembering failures."""
        if self._loaded:
            return
        self._loaded = True
        for entry_point in self._entry_points():
            dist = entry_point.dist
            dist_name = dist.name if dist is not None else entry_point.name
            version = dist.version if dist is not None else ""
            if self._manager.has_plugin(entry_point.name):
                continue
            try:
                plugin = entry_point.load()
            except Exception as error:  # a broken plugin must not break coodie
                self._failures.append(PluginFailure(entry_point.name, dist_name, version, error))
                continue
            self.register(plugin, entry_point.name, distribution=dist_name, version=version)
        self._load_failures = len(self._failures)

    @property
    def failures(self) -> list[PluginFailure]:
        """The plugins that are installed but failed to load, after loading the entry points."""
        self.load_entry_points()
        return list(self._failures)

    # -- driver records ----------------------------------------------------------------

    def specs(self) -> dict[str, DriverSpec]:
        """Every usable driver by name and alias (names two plugins claim are left out)."""
        self.load_entry_points()
        if self._specs is None:
            self._specs = self._collect()
        return self._specs

    @property
    def clashes(self) -> dict[str, list[DriverSpec]]:
        """Driver names claimed by more than one plugin, each with its claimants."""
        self.specs()
        return {name: list(claimants) for name, claimants in self._clashes.items()}

    def drivers(self) -> list[DriverSpec]:
        """Each usable driver once, sorted by name."""
        unique = {spec.name: spec for spec in self.specs().values()}
        return [unique[name] for name in sorted(unique)]

    def _collect(self) -> dict[str, DriverSpec]:
        # Hook failures are recomputed on every collection (not accumulated across them).
        del self._failures[self._load_failures :]
        claims: dict[str, list[DriverSpec]] = {}
        for impl in self._manager.hook.coodie_drivers.get_hookimpls():
            distribution, version = self._origins.get(id(impl.plugin), (impl.plugin_name, ""))
            for spec in self._records_of(impl.plugin_name, impl.function, distribution, version):
                for name in spec.names:
                    claimants = claims.setdefault(name, [])
                    if not any(claimant is spec for claimant in claimants):
                        claimants.append(spec)
        # A clash disables only the name it is about: every other driver keeps working.
        self._clashes = {name: found for name, found in claims.items() if len(found) > 1}
        return {name: found[0] for name, found in claims.items() if len(found) == 1}

    def _records_of(
        self, plugin: str, hook: Callable[[], object], distribution: str, version: str
    ) -> list[DriverSpec]:
        """The DriverSpecs one plugin's hook returns; what it cannot give is a failure."""
        try:
            records = list(cast("Iterable[object]", hook()))
        except Exception as error:
            self._failures.append(PluginFailure(plugin, distribution, version, error))
            return []
        specs = []
        for record in records:
            if isinstance(record, DriverSpec):
                specs.append(replace(record, distribution=distribution, version=version))
                continue
            wrong = TypeError(f"coodie_drivers() returned {type(record).__name__}, not DriverSpec")
            self._failures.append(PluginFailure(plugin, distribution, version, wrong))
        return specs

    def clash_error(self, name: str) -> DuplicateDriverError | None:
        """The error for using driver name ``name`` when several plugins claim it."""
        claimants = self.clashes.get(name)
        if not claimants:
            return None
        origins = " and ".join(spec.origin() for spec in claimants)
        return DuplicateDriverError(
            f"Two coodie plugins claim the driver name {name!r}: {origins}. Uninstall one of "
            "them (other driver names keep working)."
        )

    def resolve(self, name: str) -> DriverSpec:
        """The driver called ``name``, or an error that says how to install it."""
        specs = self.specs()
        spec = specs.get(name)
        if spec is not None:
            return spec
        clash = self.clash_error(name)
        if clash is not None:
            raise clash
        failed = [f for f in self._failures if name in f.entry_point or name in f.distribution]
        if failed:
            raise PluginLoadError(
                f"No coodie driver named {name!r} could be loaded: {failed[0].describe()}. "
                "Reinstall the plugin or fix its dependencies."
            ) from failed[0].error
        extra = KNOWN_EXTRAS.get(name)
        how = f'pip install "coodie[{extra}]"' if extra else f"pip install coodie-driver-{name}"
        installed = ", ".join(f"{s.name} ({s.origin()})" for s in self.drivers()) or "none"
        message = (
            f"No coodie driver named {name!r} is installed. Install it with: {how}. "
            f"Installed drivers: {installed}."
        )
        if self._failures:
            message += " Plugins that failed to load: " + "; ".join(
                f.describe() for f in self._failures
            )
        raise DriverNotFoundError(message)

    def report(self) -> str:
        """A human-readable listing for ``python -m coodie drivers``."""
        lines = []
        drivers = self.drivers()
        for spec in drivers:
            aliases = f" (aliases: {', '.join(spec.aliases)})" if spec.aliases else ""
            lines.append(f"{spec.name:<12} {spec.origin():<32} {spec.description}{aliases}")
            lacks = lacking(spec)
            if lacks:
                lines.append(f"{'':<12} does not support: {', '.join(lacks)}")
        if not lines and not self._clashes:
            lines.append('no drivers installed; try: pip install "coodie[cassandra]"')
        for name in sorted(self._clashes):
            lines.append(f"error: {self.clash_error(name)}")
        lines.extend(f"failed: {failure.describe()}" for failure in self._failures)
        return "\n".join(lines)


def lacking(spec: DriverSpec) -> list[str]:
    """What ``spec`` does not declare: its missing API paths and capabilities."""
    missing = [] if spec.supports_sync() else ["the sync API"]
    missing += [] if spec.supports_async() else ["the async API"]
    absent = ALL_CAPABILITIES - spec.capabilities
    # "no native sync path" only says something about a sync path that exists (bridged).
    if not spec.supports_sync():
        absent -= {Capability.NATIVE_SYNC}
    if not spec.supports_async():
        absent -= {Capability.NATIVE_ASYNC}
    return missing + sorted(c.value for c in absent)


_registry: DriverRegistry | None = None


def get_registry() -> DriverRegistry:
    """The process-wide registry, created on first use."""
    global _registry
    if _registry is None:
        _registry = DriverRegistry()
    return _registry


def set_registry(registry: DriverRegistry | None) -> DriverRegistry | None:
    """Swap the process-wide registry (for tests); returns the previous one."""
    global _registry
    previous, _registry = _registry, registry
    return previous

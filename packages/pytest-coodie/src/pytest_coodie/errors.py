"""Typed errors, so callers (and CI logs) can tell *why* no node could be provided."""

from __future__ import annotations


class CoodieNodeError(RuntimeError):
    """Base class for every failure to provide a test node."""


class JavaNotFoundError(CoodieNodeError):
    """No usable JDK (Cassandra 5.0 runs on Java 11 or 17 only)."""


class MavenNotFoundError(CoodieNodeError):
    """Maven is needed once, to download the Cassandra jars from Maven Central."""


class FetchError(CoodieNodeError):
    """Maven ran but could not download the Cassandra jars."""


class PortInUseError(CoodieNodeError):
    """A port the local node needs is already bound by something else."""


class NodeStartError(CoodieNodeError):
    """The node process died or did not answer CQL before the timeout."""


class InvalidHostsError(CoodieNodeError, ValueError):
    """``COODIE_TEST_HOSTS`` could not be parsed."""


class CQLProbeError(CoodieNodeError):
    """The server answered, but not with what a ready CQL node answers."""


class InvalidAuthError(CoodieNodeError, ValueError):
    """The authentication option is not ``USER:PASSWORD``."""

"""``missing_keyspace``: core's one answer for a keyspace that does not exist when connecting
(it lives in :mod:`coodie.drivers.kit.keyspaces`, below the helpers that raise it)."""

from coodie.drivers.kit.keyspaces import missing_keyspace

__all__ = ["missing_keyspace"]

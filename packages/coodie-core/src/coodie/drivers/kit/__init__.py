"""What core gives a driver author besides the interface: the parts every driver repeats.

* :class:`PreparedCache`: bounded, thread-safe, one prepare per CQL text in flight (sync and
  async), failures not cached;
* :class:`ConsistencyLevels`: coodie's levels -> the client's, from a declared table;
* :class:`ErrorTable`: client exceptions -> coodie's errors, from a declared table;
* :func:`send_with_callbacks` / :func:`execute_in_threads`: ``execute_many`` for sync code
  with bounded concurrency (the async hook's default is core's worker pool);
* :func:`host_port_pairs`, :func:`host_port_strings`, :func:`hosts_and_shared_port`: the
  connect record's contact points in the shapes clients take;
* :func:`missing_keyspace`: the error for a keyspace that does not exist (also
  ``coodie.connect.missing_keyspace``).

Drivers built on cassandra-driver also get :mod:`coodie.drivers.kit.cassandra` (codecs for
its value types, its error table, consistency levels, an asyncio bridge). The guide is
docs/writing-a-driver.md, "What core gives you".
"""

from coodie.drivers.kit.bulk import Done, execute_in_threads, send_with_callbacks
from coodie.drivers.kit.consistency import ConsistencyLevels
from coodie.drivers.kit.contact_points import (
    HasContactPoints,
    host_port_pairs,
    host_port_strings,
    hosts_and_shared_port,
)
from coodie.drivers.kit.errors import ErrorFactory, ErrorKey, ErrorTable, describe_statement
from coodie.drivers.kit.keyspaces import missing_keyspace
from coodie.drivers.kit.prepared import PreparedCache

__all__ = [
    "ConsistencyLevels",
    "Done",
    "ErrorFactory",
    "ErrorKey",
    "ErrorTable",
    "HasContactPoints",
    "PreparedCache",
    "describe_statement",
    "execute_in_threads",
    "host_port_pairs",
    "host_port_strings",
    "hosts_and_shared_port",
    "missing_keyspace",
    "send_with_callbacks",
]

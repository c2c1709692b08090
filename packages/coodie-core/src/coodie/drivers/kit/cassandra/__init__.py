"""Helpers for drivers built on the ``cassandra`` import package (cassandra-driver,
scylla-driver, or clients wrapping their ``Session``).

Importing this package imports ``cassandra``; :mod:`coodie.drivers.kit` itself does not.

* :data:`CASSANDRA_ERRORS`: the client's exceptions -> coodie's errors (an ``ErrorTable``);
* :data:`CONSISTENCY_LEVELS`, :data:`BATCH_TYPES`, :func:`cluster_contact_points`: coodie's
  settings in the client's terms;
* :func:`decoder_for` / :func:`encoder_for`: the client's value types <-> the Python types a
  coodie model declares (``Time``, ``Date``, ``Duration``, inet text, UDTs);
* :func:`cluster_settings`, :func:`open_session`, :func:`result_page`: the connect record to
  a ``Cluster`` and a ``Session`` bound to its keyspace, a result to a ``ResultPage``;
* :func:`to_asyncio_future`: a ``ResponseFuture`` awaited from asyncio without a thread;
* :func:`sent_request`: what a client request carried, for the ``request_observer``.
"""

from coodie.drivers.kit.cassandra.codecs import (
    UserTypeValue,
    ValueConversionError,
    decoder_for,
    encoder_for,
)
from coodie.drivers.kit.cassandra.errors import CASSANDRA_ERRORS
from coodie.drivers.kit.cassandra.futures import to_asyncio_future
from coodie.drivers.kit.cassandra.sent import sent_request
from coodie.drivers.kit.cassandra.sessions import (
    cluster_settings,
    open_session,
    profile_settings,
    release_timer,
    result_page,
)
from coodie.drivers.kit.cassandra.terms import (
    BATCH_TYPES,
    CONSISTENCY_LEVELS,
    cluster_contact_points,
)

__all__ = [
    "BATCH_TYPES",
    "CASSANDRA_ERRORS",
    "CONSISTENCY_LEVELS",
    "UserTypeValue",
    "ValueConversionError",
    "cluster_contact_points",
    "cluster_settings",
    "decoder_for",
    "encoder_for",
    "open_session",
    "profile_settings",
    "release_timer",
    "result_page",
    "sent_request",
    "to_asyncio_future",
]

"""coodie's synchronous API (scripts, Django, Flask).

Models, method names and signatures are the same in ``coodie.sync`` and ``coodie.aio``;
here every method returns its result directly.
"""

from coodie.sync.batch import BatchQuery
from coodie.sync.connection import (
    close_coodie,
    create_keyspace,
    drop_keyspace,
    execute,
    init_coodie,
)
from coodie.sync.document import Document
from coodie.sync.queryset import QuerySet, ValuesQuerySet

__all__ = [
    "BatchQuery",
    "Document",
    "QuerySet",
    "ValuesQuerySet",
    "close_coodie",
    "create_keyspace",
    "drop_keyspace",
    "execute",
    "init_coodie",
]

"""coodie's asynchronous API (FastAPI and other asyncio code).

Models, method names and signatures are the same in ``coodie.sync`` and ``coodie.aio``;
here every method that talks to the database is awaitable.
"""

from coodie.aio.batch import BatchQuery
from coodie.aio.connection import (
    close_coodie,
    create_keyspace,
    drop_keyspace,
    execute,
    init_coodie,
)
from coodie.aio.document import Document
from coodie.aio.queryset import QuerySet, ValuesQuerySet
from coodie.aio.view import MaterializedView

__all__ = [
    "BatchQuery",
    "Document",
    "MaterializedView",
    "QuerySet",
    "ValuesQuerySet",
    "close_coodie",
    "create_keyspace",
    "drop_keyspace",
    "execute",
    "init_coodie",
]

"""coodie: a Pydantic-first object-document mapper for Apache Cassandra and ScyllaDB.

``import coodie`` gives the asynchronous API (as ``coodie.aio``) plus the field markers and
exceptions; the synchronous API with the same names lives in ``coodie.sync``.
"""

from coodie.aio import (
    BatchQuery,
    Document,
    QuerySet,
    ValuesQuerySet,
    close_coodie,
    create_keyspace,
    drop_keyspace,
    execute,
    init_coodie,
)
from coodie.api.queryset import Page, token_ranges
from coodie.drivers.statement import BatchType, Consistency, ResultPage, Statement
from coodie.exceptions import (
    ConditionalWriteFailed,
    ConfigurationError,
    CoodieError,
    CoodieWarning,
    DocumentNotFound,
    DriverError,
    DriverNotFoundError,
    DuplicateDriverError,
    InvalidPageToken,
    InvalidQueryError,
    MultipleDocumentsFound,
    PluginLoadError,
    SchemaError,
    UnsupportedTypeError,
)
from coodie.fields import (
    Ascii,
    BigInt,
    ClusteringKey,
    Counter,
    Double,
    Float,
    Frozen,
    Indexed,
    PrimaryKey,
    SmallInt,
    Static,
    TimeUUID,
    TinyInt,
    VarInt,
)
from coodie.plugins import DriverSpec, hookimpl

__version__ = "0.1.0"

__all__ = [
    "Ascii",
    "BatchQuery",
    "BatchType",
    "BigInt",
    "ClusteringKey",
    "ConditionalWriteFailed",
    "ConfigurationError",
    "Consistency",
    "CoodieError",
    "CoodieWarning",
    "Counter",
    "Document",
    "DocumentNotFound",
    "Double",
    "DriverError",
    "DriverNotFoundError",
    "DriverSpec",
    "DuplicateDriverError",
    "Float",
    "Frozen",
    "Indexed",
    "InvalidPageToken",
    "InvalidQueryError",
    "MultipleDocumentsFound",
    "Page",
    "PluginLoadError",
    "PrimaryKey",
    "QuerySet",
    "ResultPage",
    "SchemaError",
    "SmallInt",
    "Statement",
    "Static",
    "TimeUUID",
    "TinyInt",
    "UnsupportedTypeError",
    "ValuesQuerySet",
    "VarInt",
    "close_coodie",
    "create_keyspace",
    "drop_keyspace",
    "execute",
    "hookimpl",
    "init_coodie",
    "token_ranges",
]

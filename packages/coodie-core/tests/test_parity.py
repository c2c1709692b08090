"""coodie.sync and coodie.aio expose the same names with the same full signatures."""

import inspect
from collections.abc import Callable
from typing import Any

import pytest

import coodie
import coodie.aio
import coodie.sync

#: The documented differences: iteration protocol and context manager protocol.
SYNC_ONLY = {"__iter__", "__len__", "__enter__", "__exit__"}
AIO_ONLY = {"__aiter__", "__aenter__", "__aexit__"}
CLASSES = ("Document", "QuerySet", "ValuesQuerySet", "BatchQuery")
PROTOCOL_PAIRS = {
    "QuerySet": [("__iter__", "__aiter__")],
    "ValuesQuerySet": [("__iter__", "__aiter__")],
    "BatchQuery": [("__enter__", "__aenter__"), ("__exit__", "__aexit__")],
}

#: Methods that talk to the database (coroutines in aio, plain in sync).
IO_METHODS = {
    "Document": {
        "sync_table",
        "drop_table",
        "find_one",
        "get",
        "refresh",
        "insert_many",
        "save",
        "insert",
        "update",
        "increment",
        "delete",
        "delete_columns",
    },
    "QuerySet": {
        "all",
        "first",
        "count",
        "delete",
        "update",
        "create",
        "page",
        "sum",
        "avg",
        "min",
        "max",
    },
    "ValuesQuerySet": {"all", "first", "count", "page"},
    "BatchQuery": {"execute"},
}
MODULE_IO_FUNCTIONS = {
    "init_coodie",
    "close_coodie",
    "create_keyspace",
    "drop_keyspace",
    "execute",
    "sync_type",
    "drop_type",
}
#: Methods that never do I/O in either API (building queries and queueing batch writes).
CHAINING = {
    "filter",
    "limit",
    "per_partition_limit",
    "order_by",
    "allow_filtering",
    "token_range",
    "fetch_size",
    "consistency",
    "timeout",
}
NON_IO_METHODS = {
    "Document": {"find", "coodie_schema", "primary_key", "using"},
    "QuerySet": {*CHAINING, "values_list", "values", "only", "defer"},
    "ValuesQuerySet": {*CHAINING, "distinct"},
    "BatchQuery": {"save", "insert", "update", "delete", "delete_columns", "increment", "add"},
}


def public_names(obj: Any) -> set[str]:
    return {name for name in dir(obj) if not name.startswith("_")}


def own_callables(cls: type) -> dict[str, Any]:
    """Methods defined by coodie's classes (not inherited from pydantic or object)."""
    out = {}
    for klass in cls.__mro__:
        if not klass.__module__.startswith("coodie"):
            continue
        for name, value in vars(klass).items():
            if name in out or (name.startswith("_") and name not in SYNC_ONLY | AIO_ONLY):
                continue
            if callable(value) or isinstance(value, (classmethod, staticmethod)):
                out[name] = getattr(cls, name)
    return out


def describe(fn: Callable[..., Any]) -> list[tuple[str, str, str, str]]:
    """Parameters as (name, kind, default, annotation) strings, plus the return annotation."""
    sig = inspect.signature(fn)
    params = [
        (p.name, p.kind.name, repr(p.default), str(p.annotation)) for p in sig.parameters.values()
    ]
    return [*params, ("return", "", "", str(sig.return_annotation))]


def test_module_public_names_are_identical() -> None:
    assert coodie.sync.__all__ == coodie.aio.__all__
    assert public_names(coodie.sync) - {"batch", "connection", "document", "queryset"} == (
        public_names(coodie.aio) - {"batch", "connection", "document", "queryset"}
    )


def test_top_level_package_exposes_the_aio_api() -> None:
    for name in coodie.aio.__all__:
        assert getattr(coodie, name) is getattr(coodie.aio, name)


@pytest.mark.parametrize("name", coodie.sync.__all__)
def test_module_level_signatures_match(name: str) -> None:
    sync_obj, aio_obj = getattr(coodie.sync, name), getattr(coodie.aio, name)
    if inspect.isclass(sync_obj):
        assert inspect.isclass(aio_obj)
        return
    assert describe(sync_obj) == describe(aio_obj)
    assert name in MODULE_IO_FUNCTIONS
    assert inspect.iscoroutinefunction(aio_obj)
    assert not inspect.iscoroutinefunction(sync_obj)


@pytest.mark.parametrize("cls_name", CLASSES)
def test_class_public_names_are_identical(cls_name: str) -> None:
    sync_cls, aio_cls = getattr(coodie.sync, cls_name), getattr(coodie.aio, cls_name)
    assert public_names(sync_cls) == public_names(aio_cls)
    sync_own = set(own_callables(sync_cls)) - SYNC_ONLY
    aio_own = set(own_callables(aio_cls)) - AIO_ONLY
    assert sync_own == aio_own
    assert sync_own >= IO_METHODS[cls_name] | NON_IO_METHODS[cls_name]


def method_pairs() -> list[tuple[str, str]]:
    pairs = []
    for cls_name in CLASSES:
        for name in sorted(own_callables(getattr(coodie.sync, cls_name))):
            if name not in SYNC_ONLY:
                pairs.append((cls_name, name))
    return pairs


@pytest.mark.parametrize(("cls_name", "method"), method_pairs())
def test_method_signatures_match(cls_name: str, method: str) -> None:
    sync_fn = getattr(getattr(coodie.sync, cls_name), method)
    aio_fn = getattr(getattr(coodie.aio, cls_name), method)
    assert describe(sync_fn) == describe(aio_fn), f"{cls_name}.{method} differs"
    raw_sync = inspect.getattr_static(getattr(coodie.sync, cls_name), method)
    raw_aio = inspect.getattr_static(getattr(coodie.aio, cls_name), method)
    assert type(raw_sync) is type(raw_aio), f"{cls_name}.{method}: classmethod vs method"
    if method in IO_METHODS[cls_name]:
        assert inspect.iscoroutinefunction(aio_fn), f"aio {cls_name}.{method} must be async"
        assert not inspect.iscoroutinefunction(sync_fn), f"sync {cls_name}.{method} is async"
    else:
        assert not inspect.iscoroutinefunction(aio_fn), f"aio {cls_name}.{method} does no I/O"
        assert not inspect.iscoroutinefunction(sync_fn)


def test_every_method_is_classified() -> None:
    for cls_name in CLASSES:
        own = set(own_callables(getattr(coodie.sync, cls_name))) - SYNC_ONLY
        unclassified = own - IO_METHODS[cls_name] - NON_IO_METHODS[cls_name]
        # Inherited helpers of the shared base classes are allowed but must not do I/O.
        for name in unclassified:
            fn = getattr(getattr(coodie.aio, cls_name), name)
            assert not inspect.iscoroutinefunction(fn), f"{cls_name}.{name} is async: classify it"


@pytest.mark.parametrize(
    ("cls_name", "sync_name", "aio_name"),
    [(c, s, a) for c, pairs in PROTOCOL_PAIRS.items() for s, a in pairs],
)
def test_protocol_methods_correspond(cls_name: str, sync_name: str, aio_name: str) -> None:
    sync_fn = getattr(getattr(coodie.sync, cls_name), sync_name)
    aio_fn = getattr(getattr(coodie.aio, cls_name), aio_name)
    sync_params = describe(sync_fn)[:-1]
    aio_params = describe(aio_fn)[:-1]
    assert sync_params == aio_params
    if aio_name == "__aiter__":
        assert describe(sync_fn)[-1] == ("return", "", "", "Iterator[T]")
        assert describe(aio_fn)[-1] == ("return", "", "", "AsyncIterator[T]")
        assert not inspect.iscoroutinefunction(aio_fn)
    else:
        assert describe(sync_fn)[-1] == describe(aio_fn)[-1]
        assert inspect.iscoroutinefunction(aio_fn)
        assert not inspect.iscoroutinefunction(sync_fn)


def test_documented_differences_exist_only_on_their_side() -> None:
    assert hasattr(coodie.sync.QuerySet, "__iter__")
    assert hasattr(coodie.sync.QuerySet, "__len__")
    assert not hasattr(coodie.aio.QuerySet, "__len__")
    assert not hasattr(coodie.aio.QuerySet, "__iter__")
    assert hasattr(coodie.aio.QuerySet, "__aiter__")
    assert not hasattr(coodie.sync.QuerySet, "__aiter__")
    assert not hasattr(coodie.aio.ValuesQuerySet, "__iter__")
    assert not hasattr(coodie.sync.ValuesQuerySet, "__aiter__")
    assert not hasattr(coodie.sync.BatchQuery, "__aenter__")
    assert not hasattr(coodie.aio.BatchQuery, "__enter__")


def test_describe_detects_differences() -> None:
    # The comparison itself must be able to fail.
    def a(x: int, *, y: str = "1") -> None: ...
    def b(x: int, *, y: str = "2") -> None: ...
    def c(x: int, y: str = "1") -> None: ...
    def d(x: int, *, y: str = "1") -> int: ...

    assert describe(a) != describe(b)
    assert describe(a) != describe(c)
    assert describe(a) != describe(d)

"""``MODULE:Model`` specs and what the CLI prints about a model."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["generated_report", "load_model"]


def load_model(spec: str) -> type:
    """The Document class named by ``spec`` (``module:Class``, e.g. ``myapp.models:Product``);
    ValueError if it names something else."""
    from coodie.api.document import DocumentBase

    module_name, sep, qualname = spec.partition(":")
    if not sep or not module_name or not qualname:
        raise ValueError(f"{spec!r} is not MODULE:Model, e.g. myapp.models:Product.")
    found: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        found = getattr(found, part)
    if not (isinstance(found, type) and issubclass(found, DocumentBase)):
        raise ValueError(f"{spec} is not a coodie Document class.")
    return found


def generated_report(model: type) -> str:
    """The source of each function coodie generates for ``model``, under its file name."""
    from coodie.mapping import Mapper
    from coodie.testing.recording import RecordingDriver

    schema = model.coodie_schema()  # type: ignore[attr-defined]
    mapper: Mapper[Any] = Mapper(model, schema, RecordingDriver(keyspace=None, record=False))
    parts = []
    for fn in mapper.generated():
        parts.append(f"# {fn.__code__.co_filename}\n{fn.__coodie_source__}")  # type: ignore[attr-defined]
    return "\n".join(parts)


def table_ddl(model: type) -> list[str]:
    """The DDL ``sync_table()`` runs for the model on an empty keyspace."""
    from coodie.cql import ddl

    schema = model.coodie_schema()  # type: ignore[attr-defined]
    return [ddl.create_table(schema)] + [
        ddl.create_index(schema, c) for c in schema.indexed_columns
    ]

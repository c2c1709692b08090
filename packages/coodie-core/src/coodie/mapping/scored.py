"""Rows of a scored ANN search: ``(document, similarity)`` pairs (no I/O).

The similarity is the last column of such a result (``similarity_cosine(v, ?)``): the
document is hydrated from the columns before it by the model's generated hydrator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coodie.mapping.compiled import Hydrators

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["scored_rows"]


def scored_rows(documents: Hydrators) -> Hydrators:
    """Converters of a scored result, around the ``documents`` hydrator of its columns."""
    one = documents.one

    def pair(row: Sequence[Any]) -> tuple[Any, float | None]:
        score = row[-1]
        return one(row[:-1]), None if score is None else float(score)

    def to_list(rows: Sequence[Sequence[Any]]) -> list[Any]:
        return [pair(row) for row in rows]

    def to_iter(rows: Sequence[Sequence[Any]]) -> Iterator[Any]:
        return (pair(row) for row in rows)

    return Hydrators(to_list, to_iter, pair)

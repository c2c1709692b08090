"""The ANN search methods both QuerySets share (``order_by_ann``, and what
``with_similarity`` builds on); the checks are in :mod:`coodie.query.ann`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from coodie.api.queryset import QuerySetBase
from coodie.exceptions import InvalidQueryError
from coodie.query.ann import ann_order, scored

if TYPE_CHECKING:
    from collections.abc import Sequence

    from typing_extensions import Self

    from coodie.api.document import DocumentBase
    from coodie.query.ann import Similarity
    from coodie.query.state import QueryState

__all__ = ["AnnSearch"]

D = TypeVar("D", bound="DocumentBase")


class AnnSearch(QuerySetBase[D]):
    """``order_by_ann()``: the rows nearest a vector, by the column's SAI index."""

    __slots__ = ()

    def order_by_ann(self, column: str, vector: Sequence[float]) -> Self:
        """Order by similarity to ``vector`` (``ORDER BY column ANN OF ?``); needs a
        ``Vector`` column with ``Indexed(using="sai")`` and a ``limit(k)``."""
        schema = self._model.coodie_schema()
        return self._with(self._state.with_(ann=ann_order(schema, column, vector)))

    def _scored_state(self, function: Similarity | None) -> QueryState:
        """The state of ``with_similarity()``: rows become ``(document, score)``."""
        state = self._state
        if state.row_form != "document":
            raise InvalidQueryError(
                f"{self._model.__name__}: with_similarity() hands out (document, score) "
                "pairs: call it on a QuerySet of documents, not after values_list()/values()."
            )
        ann: Any = scored(self._model.coodie_schema(), state.ann, function)
        return state.with_(ann=ann, row_form="scored")

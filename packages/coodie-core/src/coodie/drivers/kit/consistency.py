"""coodie's consistency levels -> a client library's constants, from a table the driver declares.

A driver builds one :class:`ConsistencyLevels` at import time, either from an explicit mapping
or from its client's enum with :meth:`ConsistencyLevels.from_names` (members named as coodie's,
e.g. ``cassandra.ConsistencyLevel``), and calls :meth:`~ConsistencyLevels.level` per request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from coodie.drivers.statement import Consistency
from coodie.exceptions import ConfigurationError, UnsupportedByDriverError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["ConsistencyLevels"]

L = TypeVar("L")


class ConsistencyLevels(Generic[L]):
    """The levels driver ``driver`` can send, keyed by coodie's :class:`Consistency`."""

    __slots__ = ("_by_name", "driver")

    def __init__(self, driver: str, table: Mapping[Consistency, L]) -> None:
        self.driver = driver
        self._by_name: dict[str, L] = {
            Consistency(key).value: value for key, value in table.items()
        }

    @classmethod
    def from_names(cls, driver: str, namespace: object) -> ConsistencyLevels[L]:
        """The table of every coodie level ``namespace`` has an attribute for (by name)."""
        table = {c: getattr(namespace, c.value) for c in Consistency if hasattr(namespace, c.value)}
        return cls(driver, table)

    @property
    def table(self) -> dict[str, L]:
        """Each coodie level name -> the client's value (a copy)."""
        return dict(self._by_name)

    def level(self, value: Consistency | str | None, what: str = "consistency") -> L | None:
        """The client's value for ``value`` (a coodie.Consistency member or a level name in any
        case); ``None`` for ``None``. ``what`` names the option in errors."""
        if value is None:
            return None
        name = value.value if isinstance(value, Consistency) else value
        if isinstance(name, str):
            found = self._by_name.get(name)
            if found is None:
                found = self._by_name.get(name.upper())
            if found is not None:
                return found
            if name.upper() in Consistency.__members__:
                raise UnsupportedByDriverError(
                    f"The {self.driver} driver has no {what} level {name.upper()}; use one of: "
                    f"{', '.join(self._by_name)}."
                )
        raise ConfigurationError(
            f"Unknown {what} level {value!r}. Use a coodie.Consistency member or one of: "
            f"{', '.join(self._by_name)}."
        )

"""The model whose generated code tests/golden/order_line.txt pins (see test_generated.py).

Loaded under the fixed module name ``coodie_golden_models`` so the file names in the
generated code do not depend on how pytest imports test files.
"""

import datetime as dt
import enum
from typing import Annotated
from uuid import UUID

from pydantic import Field, PrivateAttr

from coodie.fields import ClusteringKey, PrimaryKey
from coodie.sync import Document


class Status(str, enum.Enum):
    OPEN = "open"
    SHIPPED = "shipped"


class OrderLine(Document):
    order_id: Annotated[UUID, PrimaryKey()]
    line: Annotated[int, ClusteringKey()]
    sku: str
    status: Status = Status.OPEN
    quantity: int = 1
    tags: set[str] = Field(default_factory=set)
    notes: list[str] = Field(default_factory=list)
    by_status: dict[str, Status] = Field(default_factory=dict)
    shipped_at: dt.datetime | None = None

    _seen: bool = PrivateAttr(default=False)

    class Settings:
        name = "order_lines"

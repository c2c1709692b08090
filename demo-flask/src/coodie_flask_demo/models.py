"""The board's one table: tasks clustered by a time UUID, so a board reads in time order."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field

from coodie import ClusteringKey, PrimaryKey, TimeUUID
from coodie.sync import Document

__all__ = ["Task"]


class Task(Document):
    board: Annotated[str, PrimaryKey()]
    id: Annotated[uuid.UUID, ClusteringKey(), TimeUUID()] = Field(default_factory=uuid.uuid1)
    title: str
    done: bool = False
    tags: list[str] = Field(default_factory=list)

    class Settings:
        name = "tasks"

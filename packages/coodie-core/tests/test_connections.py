"""Models follow their connection: replacing or removing a driver takes effect at once."""

from typing import Annotated
from uuid import UUID

import pytest

from coodie import connections
from coodie.api.document import mapper_of
from coodie.exceptions import ConfigurationError
from coodie.fields import PrimaryKey
from coodie.sync import Document
from coodie.testing import RecordingDriver

PID = UUID(int=7)


class Gadget(Document):
    id: Annotated[UUID, PrimaryKey()]
    name: str = ""


class Elsewhere(Document):
    id: Annotated[UUID, PrimaryKey()]

    class Settings:
        connection = "elsewhere"


def test_replacing_the_driver_reroutes_the_next_operation(no_connection: None) -> None:
    first = connections.register_driver(RecordingDriver(keyspace="one"))
    Gadget(id=PID).save()
    assert first.cql == ["INSERT INTO one.gadget (id, name) VALUES (?, ?)"]
    old_mapper = mapper_of(Gadget)

    second = connections.register_driver(RecordingDriver(keyspace="two"))
    Gadget(id=PID).delete()
    assert second.cql == ["DELETE FROM two.gadget WHERE id = ?"]
    assert len(first.statements) == 1  # nothing more reached the replaced driver
    assert mapper_of(Gadget) is not old_mapper
    assert mapper_of(Gadget).driver is second
    assert mapper_of(Gadget) is mapper_of(Gadget)  # cached until the next change


def test_removing_the_driver_is_noticed(no_connection: None) -> None:
    connections.register_driver(RecordingDriver(keyspace="one"))
    Gadget(id=PID).save()
    connections.unregister_driver()
    with pytest.raises(ConfigurationError, match="No coodie connection named 'default'"):
        Gadget(id=PID).save()


def test_models_use_their_named_connection(no_connection: None) -> None:
    default = connections.register_driver(RecordingDriver(keyspace="one"))
    named = connections.register_driver(RecordingDriver(keyspace="far"), "elsewhere")
    Elsewhere(id=PID).save()
    Gadget(id=PID).save()
    assert named.cql == ["INSERT INTO far.elsewhere (id) VALUES (?)"]
    assert default.cql == ["INSERT INTO one.gadget (id, name) VALUES (?, ?)"]
    connections.unregister_driver("elsewhere")
    with pytest.raises(ConfigurationError, match="'elsewhere'"):
        Elsewhere.get(id=PID)
    Gadget(id=PID).delete()  # the default connection is unaffected
    assert len(default.statements) == 2

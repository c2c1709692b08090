"""A driver's ``unsupported_types``: models holding such a type are refused before sending."""

from decimal import Decimal
from typing import Annotated, Any, ClassVar

import pytest

from coodie import connections
from coodie.exceptions import UnsupportedTypeError
from coodie.fields import PrimaryKey
from coodie.sync import Document, UserType
from coodie.testing import RecordingDriver


class NoDecimals(RecordingDriver):
    name = "no-decimals"
    unsupported_types: ClassVar[dict[str, str]] = {"decimal": "its decimal binding is broken"}


class Money(UserType):
    amount: Decimal
    currency: str


@pytest.fixture
def strict_driver() -> Any:
    previous = connections.unregister_driver()
    driver = NoDecimals()
    connections.register_driver(driver)
    yield driver
    connections.unregister_driver()
    if previous is not None:
        connections.register_driver(previous)


@pytest.mark.parametrize(
    ("annotation", "shown"),
    [(Decimal, "decimal"), (list[Decimal], "list<decimal>"), (Money, "money")],
)
def test_a_model_with_an_unsupported_type_anywhere_is_refused_before_sending(
    strict_driver: NoDecimals, annotation: Any, shown: str
) -> None:
    class Invoice(Document):
        id: Annotated[int, PrimaryKey()]
        total: annotation  # type: ignore[valid-type]

    with pytest.raises(UnsupportedTypeError) as raised:
        Invoice.find(id=1).all()
    message = str(raised.value)
    assert message.startswith(f"Invoice.total ({shown}")
    assert (
        "'no-decimals' driver cannot carry CQL decimal values: its decimal binding is broken"
        in message
    )
    assert "Use another driver for this model" in message
    assert strict_driver.statements == []


def test_other_models_on_that_driver_work(strict_driver: NoDecimals) -> None:
    class Note(Document):
        id: Annotated[int, PrimaryKey()]
        text: str

    Note(id=1, text="fine").save()
    assert strict_driver.statements[-1].cql.startswith("INSERT INTO")

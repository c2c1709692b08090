"""Generated code is code: file names, linecache, qualified names, source, CLI, golden file.

The golden file ``golden/order_line.txt`` pins what ``python -m coodie generated`` prints for
``golden/golden_models.py:OrderLine``. After an intended change of the generated code,
refresh it with::

    COODIE_REFRESH_GOLDEN=1 uv run pytest -p no:cacheprovider \
        packages/coodie-core/tests/test_generated.py

and review the diff of the golden file like any other code change.
"""

import importlib.util
import linecache
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any
from uuid import UUID, uuid4

import pytest

from coodie.__main__ import main
from coodie.fields import PrimaryKey
from coodie.mapping import Mapper
from coodie.mapping.codecs import build_decoder, collection_template, inline_decoder
from coodie.model.types import CqlType
from coodie.sync import Document
from coodie.testing import RecordingDriver

GOLDEN = Path(__file__).parent / "golden"
MODULE = "coodie_golden_models"


def golden_module() -> ModuleType:
    if MODULE not in sys.modules:
        spec = importlib.util.spec_from_file_location(MODULE, GOLDEN / "golden_models.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[MODULE] = module
        spec.loader.exec_module(module)
    return sys.modules[MODULE]


class Gadget(Document):
    id: Annotated[UUID, PrimaryKey()]
    name: str = ""
    parts: set[str] = set()


def mapper() -> Mapper[Any]:
    return Mapper(Gadget, Gadget.coodie_schema(), RecordingDriver())


# -- golden file and CLI ----------------------------------------------------------------


def test_generated_source_matches_the_golden_file(capsys: pytest.CaptureFixture[str]) -> None:
    golden_module()
    assert main(["generated", f"{MODULE}:OrderLine"]) == 0
    printed = capsys.readouterr().out
    path = GOLDEN / "order_line.txt"
    if os.environ.get("COODIE_REFRESH_GOLDEN"):
        path.write_text(printed, encoding="utf-8")
    assert printed == path.read_text(encoding="utf-8")


def test_cli_names_a_bad_model_spec(capsys: pytest.CaptureFixture[str]) -> None:
    for spec, problem in [
        ("no_colon", "is not MODULE:Model"),
        ("coodie_no_such_module:X", "No module named"),
        (f"{__name__}:pytest", "is not a coodie Document class"),
    ]:
        with pytest.raises(SystemExit) as exit_:
            main(["generated", spec])
        assert exit_.value.code == 2
        assert problem in capsys.readouterr().err


def test_cli_prints_a_models_functions(capsys: pytest.CaptureFixture[str]) -> None:
    golden_module()
    main(["generated", f"{MODULE}:OrderLine"])
    out = capsys.readouterr().out
    for name in ("key_values", "row_values", "save_statement", "lookup_values", "hydrate"):
        assert f"# <coodie generated {MODULE}.OrderLine.{name}>" in out
    assert "def hydrate_list(rows" in out


# -- names, source, linecache -------------------------------------------------------------


def test_generated_functions_have_real_names_module_and_source() -> None:
    m = mapper()
    save = m.writes.save_statement
    assert save.__module__ == __name__
    assert save.__qualname__ == "Gadget.save_statement"
    assert save.__code__.co_filename == f"<coodie generated {__name__}.Gadget.save_statement>"
    source: str = save.__coodie_source__  # type: ignore[attr-defined]
    assert source.startswith("def save_statement(doc, ttl, timestamp):")
    assert linecache.getlines(save.__code__.co_filename) == source.splitlines(keepends=True)
    hydrators = m.readers.hydrators(("id", "name"))
    assert hydrators.to_list.__qualname__ == "Gadget.hydrate_list"
    assert hydrators.one.__code__.co_filename == hydrators.to_iter.__code__.co_filename


def test_one_file_name_per_source() -> None:
    """The same source keeps its name (rebuilding a mapper adds nothing to linecache); a
    different source for the same (model, function) gets a numbered name of its own."""
    first, second = mapper(), mapper()
    name = first.values.key_values.__code__.co_filename
    assert second.values.key_values.__code__.co_filename == name
    all_columns = first.readers.hydrators(("id", "name", "parts")).one
    some_columns = first.readers.hydrators(("id",)).one
    assert all_columns.__code__.co_filename != some_columns.__code__.co_filename
    for fn in (all_columns, some_columns):
        assert "".join(linecache.getlines(fn.__code__.co_filename)) == fn.__coodie_source__  # type: ignore[attr-defined]


def test_a_traceback_inside_a_generated_hydrator_shows_the_generated_line() -> None:
    hydrate = mapper().readers.hydrators(("id", "name")).to_list
    with pytest.raises(ValueError, match="not enough values to unpack") as raised:
        hydrate([(uuid4(),)])  # one value for two columns
    shown = "".join(traceback.format_exception(raised.value))
    assert f'File "<coodie generated {__name__}.Gadget.hydrate>"' in shown
    assert "for (c0, c1, ) in rows:" in shown


# -- one representation of collection decoding ------------------------------------------


def test_collection_decoders_are_compiled_from_their_inline_template() -> None:
    driver = RecordingDriver()
    for t in (
        CqlType("list", (CqlType("int", python_type=int),), python_type=list),
        CqlType("set", (CqlType("text", python_type=str),), python_type=set),
        CqlType("set", (CqlType("int", python_type=int),), python_type=frozenset),
        CqlType("map", (CqlType("text", python_type=str),) * 2, python_type=dict),
    ):
        template, helpers = collection_template(t, driver)
        assert helpers == {}
        assert inline_decoder(t, driver) == template
        decoder = build_decoder(t, driver)
        assert decoder is not None
        source: str = decoder.__coodie_source__  # type: ignore[attr-defined]
        assert source == f"def decode(v):\n    return {template.format(v='v')}\n"

"""Command line: ``python -m coodie drivers`` lists the installed driver plugins;
``python -m coodie generated MODULE:Model`` prints the code coodie generates for a model."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Any

from coodie.plugins.registry import get_registry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coodie", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("drivers", help="list installed coodie driver plugins")
    generated = commands.add_parser(
        "generated",
        help="print the functions coodie generates for a model",
        description="Print the functions coodie generates for a model (key and row values, "
        "the INSERT, the primary key lookup, the whole-row hydrator and row reader), as "
        "generated for a driver that converts no types: a real driver adds a decoder or "
        "encoder call where its types differ from Python's.",
    )
    generated.add_argument("model", metavar="MODULE:Model", help="e.g. myapp.models:Product")
    args = parser.parse_args(argv)
    if args.command == "drivers":
        registry = get_registry()
        report = registry.report()
        print(report)
        # Broken plugins and two plugins claiming one name (an "error:" report) both fail.
        return 1 if registry.failures or report.startswith("error:") else 0
    if args.command == "generated":
        try:
            model = _load_model(args.model)
        except (ImportError, AttributeError, ValueError) as error:
            parser.exit(2, f"python -m coodie generated: {error}\n")
        print(generated_report(model), end="")
        return 0
    return 2  # pragma: no cover - argparse rejects other commands


def _load_model(spec: str) -> type:
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


if __name__ == "__main__":
    sys.exit(main())

"""Executing generated source as code people can read (used by :mod:`coodie.mapping.compiled`).

Each source gets a file name of its own, ``<coodie generated myapp.models.Product.hydrate>``,
registered in :mod:`linecache` so that tracebacks and pdb show its lines; its functions carry
the model's ``__module__``, a ``__qualname__`` under the model's, and their source as
``__coodie_source__`` (``python -m coodie generated myapp.models:Product`` prints them).
"""

from __future__ import annotations

import linecache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["build", "compile_decoder", "generated_source", "spread"]


def _file_name(base: str, source: str) -> str:
    """A file name for ``source`` registered in linecache: the same name for the same source
    (so rebuilding a mapper adds nothing), a numbered one when another source has it."""
    lines = source.splitlines(keepends=True)
    number = 1
    while True:
        filename = f"<{base}>" if number == 1 else f"<{base}-{number}>"
        entry = (len(source), None, lines, filename)
        # setdefault is atomic: two threads generating at once never share a name. A None
        # mtime tells linecache.checkcache() the entry has no file behind it to re-read.
        if linecache.cache.setdefault(filename, entry) == entry:
            return filename
        number += 1


def build(
    owner: type,
    source_name: str,
    lines: list[str],
    namespace: dict[str, Any],
    functions: Sequence[str] | None = None,
) -> Any:
    """Execute ``lines`` (defining ``functions``, by default one named ``source_name``) and
    return that function, or a tuple of them."""
    source = "\n".join(lines) + "\n"
    filename = _file_name(
        f"coodie generated {owner.__module__}.{owner.__qualname__}.{source_name}", source
    )
    namespace["__name__"] = owner.__module__  # the functions' __module__
    exec(compile(source, filename, "exec"), namespace)
    names = (source_name,) if functions is None else functions
    built = []
    for name in names:
        fn = namespace[name]
        fn.__qualname__ = f"{owner.__qualname__}.{name}"
        fn.__coodie_source__ = source
        built.append(fn)
    return built[0] if functions is None else tuple(built)


def compile_decoder(cql: str, template: str, namespace: dict[str, Any]) -> Callable[[Any], Any]:
    """``value -> decoded value``: the function form of a decoder written as an expression
    ``template`` over ``{v}`` (the form generated hydrators inline), for type ``cql``."""
    source = f"def decode(v):\n    return {template.format(v='v')}\n"
    filename = _file_name(f"coodie generated decoder {cql}", source)
    namespace = dict(namespace, __name__=__name__)
    exec(compile(source, filename, "exec"), namespace)
    fn = namespace["decode"]
    fn.__qualname__ = f"decode[{cql}]"
    fn.__coodie_source__ = source
    return fn  # type: ignore[no-any-return]


def spread(head: str, items: Sequence[str], tail: str, indent: str = "    ") -> list[str]:
    """``head`` + items + ``tail`` written one item a line (the same code as on one line,
    easier to read)."""
    if not items:
        return [f"{indent}{head}{tail}"]
    return [f"{indent}{head}", *(f"{indent}    {item}," for item in items), f"{indent}{tail}"]


def generated_source(fn: Callable[..., Any]) -> str:
    """The source coodie generated ``fn`` from."""
    source: str = fn.__coodie_source__  # type: ignore[attr-defined]
    return source

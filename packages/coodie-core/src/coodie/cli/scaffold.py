"""``coodie new-driver NAME``: write the skeleton of a driver plugin package.

The files come from templates shipped as package data (``coodie/cli/templates/new_driver``)
with ``$$name``-style placeholders (:class:`string.Template`), so the package a user gets is
the one the unit tests build and lint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

from coodie.exceptions import InvalidDriverNameError

__all__ = ["ScaffoldTarget", "check_driver_name", "scaffold_driver"]

_NAME = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
_MAX_NAME = 40
_RESERVED = frozenset({"abstract", "cassandra", "acsylla"})
_PREFIX = "coodie-driver-"

#: template file -> where it goes in the package (``{module}`` is the import package).
_FILES = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "__init__.py.tmpl": "src/{module}/__init__.py",
    "driver.py.tmpl": "src/{module}/driver.py",
    "plugin.py.tmpl": "src/{module}/plugin.py",
    "conftest.py.tmpl": "tests/conftest.py",
    "test_conformance.py.tmpl": "tests/test_conformance.py",
    "test_plugin.py.tmpl": "tests/test_plugin.py",
}


@dataclass(frozen=True)
class ScaffoldTarget:
    """The names a driver called ``name`` gets in its package."""

    name: str  # init_coodie(driver_type=...)
    dist: str  # coodie-driver-<name>
    module: str  # coodie_driver_<name>
    class_name: str  # <Name>Driver


def check_driver_name(name: str) -> ScaffoldTarget:
    """The package names for driver ``name``, or InvalidDriverNameError saying why not."""
    if name.startswith(_PREFIX):
        raise InvalidDriverNameError(
            f"Driver name {name!r} repeats the package prefix: pass the driver's own name "
            f"({name[len(_PREFIX) :]!r}); the package is called {_PREFIX}NAME."
        )
    if not _NAME.fullmatch(name) or len(name) > _MAX_NAME:
        raise InvalidDriverNameError(
            f"Invalid driver name {name!r}: use lowercase letters and digits, starting with a "
            f"letter, words joined by single '-' or '_' (at most {_MAX_NAME} characters), "
            "e.g. 'mydb' or 'my-db'."
        )
    if name in _RESERVED:
        raise InvalidDriverNameError(
            f"Driver name {name!r} is taken by coodie itself: choose another name."
        )
    words = re.split(r"[-_]", name)
    return ScaffoldTarget(
        name=name,
        dist=_PREFIX + "-".join(words),
        module="coodie_driver_" + "_".join(words),
        class_name="".join(word.capitalize() for word in words) + "Driver",
    )


def scaffold_driver(name: str, path: Path | None = None) -> list[Path]:
    """Write the package for driver ``name`` to ``path`` (default ``./coodie-driver-NAME``)
    and return the files written. An existing, non-empty ``path`` is refused."""
    target = check_driver_name(name)
    root = Path(path) if path is not None else Path.cwd() / target.dist
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise InvalidDriverNameError(
            f"{root} already exists and is not an empty folder: pass --path to write the "
            "package elsewhere."
        )
    from coodie import __version__

    major = int(__version__.split(".")[0])
    values = {
        "name": target.name,
        "dist": target.dist,
        "module": target.module,
        "class_name": target.class_name,
        "core_version": __version__,
        "core_next": f"{major + 1}",
    }
    templates = resources.files("coodie.cli") / "templates" / "new_driver"
    written = []
    for template, where in _FILES.items():
        text = Template(templates.joinpath(template).read_text(encoding="utf-8"))
        destination = root / where.format(module=target.module)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text.substitute(values), encoding="utf-8")
        written.append(destination)
    typed = root / "src" / target.module / "py.typed"
    typed.touch()
    written.append(typed)
    return written

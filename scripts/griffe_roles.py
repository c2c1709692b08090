"""A griffe extension for the docs site: Sphinx roles in docstrings rendered as code.

Docstrings here name other objects the Sphinx way (``:class:`~coodie.testing.RecordingDriver```,
``:func:`connect```), which Markdown would print as it is. The site shows each as inline code:
the last dotted part after a ``~``, the whole target otherwise. mkdocs.yml loads this file.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|meth|mod|attr|exc|data|obj):`(~?)([^`]+)`")


def _as_code(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2)
    return f"`{target.rsplit('.', 1)[-1] if short else target}`"


def render_roles(text: str) -> str:
    """``text`` with every Sphinx cross-reference role replaced by inline code."""
    return _ROLE.sub(_as_code, text)


class SphinxRolesAsCode(griffe.Extension):
    """Rewrites the roles in each docstring as griffe loads it."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite ``obj``'s docstring, if it has one."""
        if obj.docstring is not None:
            obj.docstring.value = render_roles(obj.docstring.value)

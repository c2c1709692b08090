"""The one version of every coodie package, written once in ``VERSION``.

Every package is released together under one version: each package's ``version``, the
sibling pins (``coodie-core==X`` in the drivers, the meta-package's extras, the demo) and the
``__version__`` attributes are derived from ``VERSION`` by this script.

    uv run python scripts/version.py           # rewrite every derived place from VERSION
    uv run python scripts/version.py --check   # fail (CI) when one disagrees with VERSION
    uv run python scripts/version.py 2.1.0     # write 2.1.0 to VERSION, then rewrite

Run ``uv lock`` after a change so uv.lock records the new versions.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION_FILE = ROOT / "VERSION"
_VERSION = r"[0-9][0-9A-Za-z.+-]*"
_SIBLINGS = r"coodie(?:-core|-driver-cassandra|-driver-acsylla)?(?:\[[a-z,]+\])?"

#: file -> patterns whose group 2 is the version (groups 1 and 3 are kept as they are).
TARGETS: dict[str, list[str]] = {
    **{
        f"{folder}/pyproject.toml": [
            rf'(?m)(^version = "){_VERSION}(")',
            rf'("{_SIBLINGS}==){_VERSION}(")',
        ]
        for folder in (
            "packages/coodie-core",
            "packages/coodie",
            "packages/coodie-driver-cassandra",
            "packages/coodie-driver-acsylla",
            "packages/pytest-coodie",
            "demo",
        )
    },
    "packages/coodie-core/src/coodie/__init__.py": [rf'(?m)(^__version__ = "){_VERSION}(")'],
    "packages/coodie-driver-cassandra/src/coodie_driver_cassandra/__init__.py": [
        rf'(?m)(^__version__ = "){_VERSION}(")'
    ],
}


def read_version() -> str:
    version = VERSION_FILE.read_text(encoding="utf-8").strip()
    if not re.fullmatch(_VERSION, version):
        raise SystemExit(f"VERSION holds {version!r}, not a version such as 2.0.0.")
    return version


def derived(text: str, patterns: list[str], version: str) -> tuple[str, int]:
    """``text`` with every pattern's version replaced, and how many places matched."""
    count = 0
    for pattern in patterns:
        text, found = re.subn(pattern, lambda m: f"{m.group(1)}{version}{m.group(2)}", text)
        count += found
    return text, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("new_version", nargs="?", help="write this version to VERSION first")
    parser.add_argument("--check", action="store_true", help="only report disagreements")
    args = parser.parse_args(argv)
    if args.new_version:
        VERSION_FILE.write_text(args.new_version + "\n", encoding="utf-8")
    version = read_version()
    stale = []
    for name, patterns in TARGETS.items():
        path = ROOT / name
        text = path.read_text(encoding="utf-8")
        new, count = derived(text, patterns, version)
        if count == 0:
            raise SystemExit(f"{name}: no version found; update TARGETS in scripts/version.py.")
        if new != text:
            stale.append(name)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print(
            f"These files disagree with VERSION ({version}): {', '.join(stale)}.\n"
            "Run: uv run python scripts/version.py && uv lock",
            file=sys.stderr,
        )
        return 1
    if not args.check and stale:
        print(f"Set version {version} in {', '.join(stale)}; now run: uv lock")
    return 0


if __name__ == "__main__":
    sys.exit(main())

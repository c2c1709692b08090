"""Command line: ``python -m coodie drivers`` lists the installed driver plugins."""

from __future__ import annotations

import argparse
import sys

from coodie.plugins.registry import get_registry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coodie", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("drivers", help="list installed coodie driver plugins")
    args = parser.parse_args(argv)
    if args.command == "drivers":
        registry = get_registry()
        report = registry.report()
        print(report)
        # Broken plugins and two plugins claiming one name (an "error:" report) both fail.
        return 1 if registry.failures or report.startswith("error:") else 0
    return 2  # pragma: no cover - argparse rejects other commands


if __name__ == "__main__":
    sys.exit(main())

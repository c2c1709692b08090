"""``python -m coodie_flask_demo serve | check``."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coodie_flask_demo", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the board with Flask's development server")
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    check = commands.add_parser("check", help="exercise a running board (exit 1 on failure)")
    check.add_argument("--url", default=f"http://{DEFAULT_HOST}:{DEFAULT_PORT}")
    check.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for it")
    args = parser.parse_args(argv)
    if args.command == "serve":
        from coodie_flask_demo.app import create_app

        create_app().run(host=args.host, port=args.port)
        return 0
    from coodie_flask_demo.check import CheckFailed, run_check

    try:
        run_check(args.url, timeout=args.timeout)
    except CheckFailed as exc:
        print(f"check failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m coodie_demo seed | serve | check``."""

import argparse
import asyncio
import sys
from collections.abc import Sequence

from coodie_demo.settings import DemoSettings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _seed() -> int:
    from coodie_demo.seed import seed

    settings = DemoSettings.from_env()
    print(
        f"seeding keyspace {settings.keyspace!r} on {','.join(settings.hosts)} "
        f"with the {settings.driver} driver",
        file=sys.stderr,
    )
    report = asyncio.run(seed(settings))
    for statement in report.ddl:
        print(f"  ran: {statement}", file=sys.stderr)
    print(f"seeded {report.products} products and {report.reviews} reviews", file=sys.stderr)
    return 0


def _serve(host: str, port: int) -> int:
    import uvicorn

    from coodie_demo.app import create_app

    uvicorn.run(create_app(), host=host, port=port)
    return 0


def _check(url: str, timeout: float) -> int:
    from coodie_demo.check import CheckFailed, run_check

    try:
        run_check(url, timeout=timeout)
    except CheckFailed as exc:
        print(f"check failed: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coodie_demo", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "seed", help="create the keyspace and tables if needed and write sample data"
    )
    serve = commands.add_parser("serve", help="run the API with uvicorn")
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    check = commands.add_parser(
        "check", help="wait for a running API and exercise its endpoints (exit 1 on failure)"
    )
    check.add_argument("--url", default=f"http://{DEFAULT_HOST}:{DEFAULT_PORT}")
    check.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for it")
    args = parser.parse_args(argv)
    if args.command == "seed":
        return _seed()
    if args.command == "serve":
        return _serve(args.host, args.port)
    return _check(args.url, args.timeout)


if __name__ == "__main__":
    sys.exit(main())

"""The connection options every connecting command takes (they follow ``init_coodie``)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import click

from coodie.exceptions import CoodieError

if TYPE_CHECKING:
    from collections.abc import Callable

    from coodie.drivers.base import AbstractDriver

__all__ = ["CONNECTION_EXIT", "ConnectionFailed", "connect", "connection_options"]

#: Exit code of a command whose connection failed (1 is a failed command, 2 bad usage too).
CONNECTION_EXIT = 2


class ConnectionFailed(click.ClickException):
    """A typed coodie error while connecting, printed on one line."""

    exit_code = CONNECTION_EXIT

    def __init__(self, error: CoodieError) -> None:
        super().__init__(one_line(error))

    def show(self, file: Any = None) -> None:
        """Print the error as ``coodie: error: ...`` on stderr."""
        click.echo(f"coodie: error: {self.format_message()}", err=True)


def one_line(error: BaseException) -> str:
    return f"{type(error).__name__}: {' '.join(str(error).split())}"


def connection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--hosts``, ``--keyspace``, ``--driver`` and the other ``init_coodie`` options."""
    options = [
        click.option(
            "--hosts", envvar="COODIE_HOSTS", help="contact points, e.g. 10.0.0.1:9042,10.0.0.2"
        ),
        click.option("--keyspace", "-k", envvar="COODIE_KEYSPACE", help="the keyspace"),
        click.option(
            "--driver", envvar="COODIE_DRIVER", help="driver plugin: cassandra, acsylla, ..."
        ),
        click.option("--port", type=int, default=None, help="port of hosts given without one"),
        click.option("--username", envvar="COODIE_USERNAME", default=None),
        click.option("--password", envvar="COODIE_PASSWORD", default=None),
        click.option("--local-dc", default=None, help="the data center to prefer"),
        click.option(
            "--connect-timeout", type=float, default=None, help="seconds to keep trying (60)"
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def connect(
    hosts: str | None,
    keyspace: str | None,
    driver: str | None,
    **extra: Any,
) -> AbstractDriver:
    """``init_coodie`` as the default connection; a coodie error becomes ConnectionFailed."""
    import coodie.sync

    options = {k: v for k, v in extra.items() if v is not None}
    try:
        return coodie.sync.init_coodie(
            hosts=[h for h in (hosts or "127.0.0.1").split(",") if h],
            keyspace=keyspace or None,
            driver_type=driver or "cassandra",
            **options,
        )
    except CoodieError as error:
        raise ConnectionFailed(error) from error


def connected(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``command`` and close the default connection afterwards."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        import coodie.sync

        try:
            return command(*args, **kwargs)
        finally:
            coodie.sync.close_coodie()

    return run

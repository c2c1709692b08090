"""The ``coodie`` command line (also ``python -m coodie``), built on click."""

from __future__ import annotations

import click

from coodie.cli import migrate_commands, new_driver, schema_commands
from coodie.cli.app import cli

__all__ = ["cli", "main"]

_COMMANDS = (migrate_commands, new_driver, schema_commands)  # imported for the commands they add


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    try:
        result = cli.main(args=argv, prog_name="coodie", standalone_mode=False)
    except click.UsageError as error:
        error.show()
        raise SystemExit(error.exit_code) from error  # as argparse did: bad usage exits
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    return result if isinstance(result, int) else 0

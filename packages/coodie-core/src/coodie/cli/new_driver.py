"""``coodie new-driver NAME [--path DIR]``: scaffold a driver plugin package
(:mod:`coodie.cli.scaffold`). A bad name or a folder in use exits 2, as bad usage does."""

from __future__ import annotations

from pathlib import Path

import click

from coodie.cli.app import cli
from coodie.cli.connect import one_line
from coodie.exceptions import InvalidDriverNameError

__all__ = ["new_driver"]


@cli.command("new-driver")
@click.argument("name")
@click.option(
    "--path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the package (default: ./coodie-driver-NAME).",
)
def new_driver(name: str, path: Path | None) -> int:
    """Scaffold a driver plugin package: pyproject with the entry point, a driver skeleton,
    the plugin, and the conformance suite wired to a fixture."""
    from coodie.cli.scaffold import scaffold_driver

    try:
        written = scaffold_driver(name, path)
    except InvalidDriverNameError as error:
        click.echo(f"coodie new-driver: error: {one_line(error)}", err=True)
        raise SystemExit(2) from error
    root = written[0].parent
    click.echo(f"Wrote {len(written)} files to {root}:")
    for file in written:
        click.echo(f"  {file.relative_to(root)}")
    click.echo("Next: fill in the driver (see its README), then run the conformance suite.")
    return 0

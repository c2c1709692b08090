"""The ``coodie`` command group: ``drivers``, ``generated``, ``cql``, ``sync``, ``schema``,
``migrate``. Typed coodie errors print on one line: exit code 2 while connecting, 1 after."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from coodie.cli.connect import one_line
from coodie.exceptions import CoodieError

__all__ = ["CommandFailed", "CoodieGroup", "cli", "importable_cwd"]


class CommandFailed(click.ClickException):
    """A command's failure: one line on stderr and exit status 1, no traceback."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        """Print the error as ``coodie: error: ...`` on stderr."""
        click.echo(f"coodie: error: {self.format_message()}", err=True)


class CoodieGroup(click.Group):
    """A group whose commands' coodie errors become one-line messages, not tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, turning a CoodieError into a one-line CommandFailed."""
        try:
            return super().invoke(ctx)
        except CoodieError as error:
            raise CommandFailed(one_line(error)) from error


def importable_cwd() -> None:
    """Make the models module importable from the working folder, as ``python -m`` does
    (a console script's ``sys.path`` starts at its own folder instead)."""
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)


@click.group(cls=CoodieGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """coodie: the Pydantic-first ODM for Cassandra and ScyllaDB."""


@cli.command()
def drivers() -> int:
    """List the installed coodie driver plugins."""
    from coodie.plugins.registry import get_registry

    registry = get_registry()
    report = registry.report()
    click.echo(report)
    # Broken plugins and two plugins claiming one name (an "error:" line) both fail.
    return 1 if registry.failures or registry.clashes else 0


@cli.command(
    help="Print the functions coodie generates for a model (key and row values, the INSERT, "
    "the primary key lookup, the whole-row hydrator and row reader), as generated for a driver "
    "that converts no types: a real driver adds a decoder or encoder call where its types "
    "differ from Python's."
)
@click.argument("model", metavar="MODULE:Model")
def generated(model: str) -> int:
    from coodie.cli.models import generated_report

    click.echo(generated_report(_model(model, "generated")), nl=False)
    return 0


@cli.command()
@click.argument("model", metavar="MODULE:Model")
def cql(model: str) -> int:
    """Print the DDL coodie runs to create a model's table (sync_table on a new keyspace)."""
    from coodie.cli.models import table_ddl

    for statement in table_ddl(_model(model, "cql")):
        click.echo(f"{statement};")
    return 0


def _model(spec: str, command: str) -> type:
    from coodie.cli.models import load_model

    importable_cwd()
    try:
        return load_model(spec)
    except (ImportError, AttributeError, ValueError) as error:
        click.echo(f"coodie {command}: {error}", err=True)
        raise SystemExit(2) from error

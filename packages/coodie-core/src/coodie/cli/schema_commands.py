"""``coodie sync MODULE`` and ``coodie schema diff MODULE``: models against the live schema."""

from __future__ import annotations

from typing import Any

import click

from coodie.cli.app import cli, importable_cwd
from coodie.cli.connect import connect, connected, connection_options

__all__ = ["schema"]


@cli.command()
@click.argument("module")
@click.option("--dry-run", is_flag=True, help="print the DDL, send none")
@click.option("--drop-removed-indexes", is_flag=True, help="drop indexes no model declares")
@connection_options
@connected
def sync(module: str, dry_run: bool, drop_removed_indexes: bool, **conn: Any) -> int:
    """sync_table() every Document of MODULE: create tables, add columns and indexes."""
    from coodie.migrate.autogen import documents_of

    importable_cwd()
    connect(**conn)
    models = documents_of(module)
    for number, model in enumerate(models, 1):
        ran = model.sync_table(dry_run=dry_run, drop_removed_indexes=drop_removed_indexes)  # type: ignore[attr-defined]
        state = "up to date" if not ran else f"{len(ran)} statement(s)"
        click.echo(f"[{number}/{len(models)}] {model.__name__}: {state}")
        for statement in ran:
            click.echo(f"    {statement};")
    return 0


@cli.group()
def schema() -> None:
    """Compare models with the live schema."""


@schema.command()
@click.argument("module")
@connection_options
@connected
def diff(module: str, **conn: Any) -> int:
    """What differs between the Documents of MODULE and the live tables (exit 1 if any)."""
    from coodie.migrate.autogen import diff_models, documents_of

    importable_cwd()
    driver = connect(**conn)
    changes = diff_models(driver, documents_of(module), conn.get("keyspace"))
    if not changes:
        click.echo("no differences")
        return 0
    for change in changes:
        click.echo(change.description)
    return 1

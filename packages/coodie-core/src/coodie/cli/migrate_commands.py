"""``coodie migrate ...``: init, new, autogenerate, upgrade, downgrade, status."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from coodie.cli.app import cli, importable_cwd
from coodie.cli.connect import connect, connected, connection_options
from coodie.exceptions import ConfigurationError

if TYPE_CHECKING:
    from coodie.drivers.base import AbstractDriver
    from coodie.migrate.config import MigrateConfig
    from coodie.migrate.runner import Migrator

__all__ = ["migrate"]

folder_option = click.option(
    "--dir",
    "folder",
    default="migrations",
    envvar="COODIE_MIGRATIONS",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="the migrations folder",
)


@cli.group()
def migrate() -> None:
    """Schema migrations: files in a folder, their state in the keyspace."""


def _config(folder: Path, conn: dict[str, Any]) -> MigrateConfig:
    from coodie.migrate.config import read_config

    config = read_config(folder).overridden(
        hosts=conn.pop("hosts"), keyspace=conn.pop("keyspace"), driver=conn.pop("driver")
    )
    if not config.keyspace:
        raise ConfigurationError(
            f"no keyspace: set keyspace in {folder}/coodie.ini or pass --keyspace."
        )
    return config


def _connected(
    folder: Path, conn: dict[str, Any], create_keyspace: int = 0
) -> tuple[MigrateConfig, AbstractDriver]:
    config = _config(folder, conn)
    importable_cwd()
    if create_keyspace:
        import coodie.sync

        connect(config.hosts, None, config.driver, **conn)
        coodie.sync.create_keyspace(config.keyspace, replication_factor=create_keyspace)
        coodie.sync.close_coodie()
    driver = connect(config.hosts, config.keyspace, config.driver, **conn)
    return config, driver


def _migrator(folder: Path, conn: dict[str, Any], lease: int, create_keyspace: int = 0) -> Migrator:
    from coodie.migrate.runner import Migrator

    config, driver = _connected(folder, conn, create_keyspace)
    return Migrator(driver, config.keyspace, config.versions, lease=lease, echo=click.echo)


lease_option = click.option(
    "--lease", default=300, show_default=True, help="seconds the migration lock lasts unrenewed"
)


@migrate.command()
@folder_option
@click.option("--models", required=True, help="the module that defines the Documents")
@click.option("--hosts", default="127.0.0.1", show_default=True)
@click.option("--keyspace", "-k", required=True)
@click.option("--driver", default="cassandra", show_default=True)
def init(folder: Path, models: str, hosts: str, keyspace: str, driver: str) -> int:
    """Create the migrations folder and its coodie.ini."""
    from coodie.migrate.config import MigrateConfig, init_folder

    path = init_folder(MigrateConfig(folder, models, hosts, keyspace, driver))
    click.echo(f"created {path} and {folder / 'versions'}")
    return 0


@migrate.command()
@folder_option
@click.argument("name")
def new(folder: Path, name: str) -> int:
    """Write an empty migration after the last one."""
    from coodie.migrate.files import new_migration

    click.echo(f"created {new_migration(_config(folder, _no_conn()).versions, name)}")
    return 0


def _no_conn() -> dict[str, Any]:
    return {"hosts": None, "keyspace": None, "driver": None}


@migrate.command()
@folder_option
@click.argument("name")
@connection_options
@connected
def autogenerate(folder: Path, name: str, **conn: Any) -> int:
    """Write a migration with what differs between the models and the live schema."""
    from coodie.migrate.autogen import diff_models, documents_of, migration_bodies
    from coodie.migrate.files import new_migration

    config, driver = _connected(folder, conn)
    if not config.models:
        raise ConfigurationError(f"set models = your.module in {folder}/coodie.ini.")
    changes = diff_models(driver, documents_of(config.models), config.keyspace)
    if not changes:
        click.echo("no differences: no migration written")
        return 0
    for change in changes:
        click.echo(("warning: " if change.refused else "") + change.description)
    up, down = migration_bodies(changes)
    click.echo(f"created {new_migration(config.versions, name, upgrade=up, downgrade=down)}")
    return 0


@migrate.command()
@folder_option
@click.argument("target", required=False)
@lease_option
@click.option(
    "--create-keyspace",
    type=int,
    default=0,
    metavar="RF",
    help="first create the keyspace if it does not exist (SimpleStrategy, replication RF)",
)
@connection_options
@connected
def upgrade(folder: Path, target: str | None, lease: int, create_keyspace: int, **conn: Any) -> int:
    """Run the pending migrations, up to TARGET (a revision or its prefix) if given."""
    ran = _migrator(folder, conn, lease, create_keyspace).upgrade(target)
    click.echo(f"{len(ran)} migration(s) applied" if ran else "up to date")
    return 0


@migrate.command()
@folder_option
@click.argument("target", required=False)
@lease_option
@connection_options
@connected
def downgrade(folder: Path, target: str | None, lease: int, **conn: Any) -> int:
    """Undo the last migration, or down to TARGET ('base': all)."""
    undone = _migrator(folder, conn, lease).downgrade(target)
    click.echo(f"{len(undone)} migration(s) undone" if undone else "nothing to undo")
    return 0


@migrate.command()
@folder_option
@connection_options
@connected
def status(folder: Path, **conn: Any) -> int:
    """Each migration: applied, pending, changed (edited after it ran) or missing."""
    lines = _migrator(folder, conn, 300).status()
    for line in lines:
        click.echo(str(line))
    if not lines:
        click.echo("no migrations")
    return 0

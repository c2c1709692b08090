"""The migrations folder and its config file (``coodie.ini``: models module, connection)."""

from __future__ import annotations

import configparser
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from coodie.exceptions import ConfigurationError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["CONFIG_NAME", "MigrateConfig", "init_folder", "read_config"]

CONFIG_NAME = "coodie.ini"
_SECTION = "coodie"


@dataclass(frozen=True)
class MigrateConfig:
    """A migrations folder's ``coodie.ini``: where the models are and which node and keyspace to
    migrate."""

    folder: Path
    models: str = ""
    hosts: str = "127.0.0.1"
    keyspace: str = ""
    driver: str = "cassandra"

    @property
    def versions(self) -> Path:
        """The folder of migration files."""
        return self.folder / "versions"

    def overridden(self, **values: str | None) -> MigrateConfig:
        """This config with the options given on the command line (``None``: not given)."""
        given: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
        return replace(self, **given)


def read_config(folder: Path) -> MigrateConfig:
    """The config of the migrations folder ``folder``; ConfigurationError when it is missing or
    incomplete."""
    path = folder / CONFIG_NAME
    if not path.is_file():
        raise ConfigurationError(
            f"{path} does not exist: run 'coodie migrate init' first, or pass --dir to the "
            "folder that has it."
        )
    parser = configparser.ConfigParser()
    parser.read(path, encoding="utf-8")
    if not parser.has_section(_SECTION):
        raise ConfigurationError(f"{path}: it needs a [{_SECTION}] section.")
    section = parser[_SECTION]
    known = {"models", "hosts", "keyspace", "driver"}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ConfigurationError(f"{path}: unknown keys {unknown}; known: {sorted(known)}.")
    return MigrateConfig(folder, **dict(section))


def init_folder(config: MigrateConfig) -> Path:
    """Create the folder, its ``versions/`` and ``coodie.ini``; refuse to overwrite one."""
    path = config.folder / CONFIG_NAME
    if path.exists():
        raise ConfigurationError(f"{path} already exists: the folder is set up.")
    config.versions.mkdir(parents=True, exist_ok=True)
    parser = configparser.ConfigParser()
    parser[_SECTION] = {
        "models": config.models,
        "hosts": config.hosts,
        "keyspace": config.keyspace,
        "driver": config.driver,
    }
    with path.open("w", encoding="utf-8") as out:
        out.write("# coodie migrations: the models module and the connection.\n")
        parser.write(out)
    return path

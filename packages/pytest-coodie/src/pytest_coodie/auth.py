"""The launcher's authentication option: a node that makes clients log in.

``USER:PASSWORD`` (CLI ``start --auth``, env ``COODIE_CASSANDRA_AUTH``, pytest
``--coodie-auth`` / ini ``coodie_auth``) turns on PasswordAuthenticator. Cassandra's role
manager creates the superuser ``cassandra``/``cassandra`` a moment after start-up; any other
credentials are set up through it once it exists: another user becomes a new superuser role,
``cassandra`` with another password gets that password.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .cqlprobe import Credentials, execute
from .errors import InvalidAuthError

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_CREDENTIALS: Credentials = ("cassandra", "cassandra")
AUTH_ENV = "COODIE_CASSANDRA_AUTH"


def parse_auth(value: str) -> Credentials:
    """``"USER:PASSWORD"`` -> ``(user, password)``; the password may itself hold colons."""
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise InvalidAuthError(
            f"authentication must be given as USER:PASSWORD (e.g. cassandra:cassandra), "
            f"got {value!r}"
        )
    return user, password


def auth_from_env(env: Mapping[str, str] | None = None) -> Credentials | None:
    """Credentials from COODIE_CASSANDRA_AUTH, or None (no authentication) when unset."""
    env = os.environ if env is None else env
    value = env.get(AUTH_ENV, "").strip()
    return parse_auth(value) if value else None


def _cql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def role_setup_cql(credentials: Credentials) -> str | None:
    """The statement that makes ``credentials`` log in, run as the default superuser (None:
    the default superuser is what was asked for)."""
    user, password = credentials
    if credentials == DEFAULT_CREDENTIALS:
        return None
    if user == DEFAULT_CREDENTIALS[0]:
        return f"ALTER ROLE cassandra WITH PASSWORD = {_cql_string(password)}"
    quoted_user = '"' + user.replace('"', '""') + '"'
    return (
        f"CREATE ROLE IF NOT EXISTS {quoted_user} WITH PASSWORD = {_cql_string(password)} "
        "AND LOGIN = true AND SUPERUSER = true"
    )


def set_up_role(host: str, port: int, credentials: Credentials) -> None:
    """Create (or re-password) the role the user asked for, logged in as the default one."""
    cql = role_setup_cql(credentials)
    if cql is not None:
        execute(host, port, cql, DEFAULT_CREDENTIALS)

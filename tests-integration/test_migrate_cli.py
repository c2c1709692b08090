"""``coodie migrate``, ``schema diff``, ``sync`` and ``cql`` on the node, for both drivers,
run as the user runs them: the command line in a fresh process, in a project folder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import uuid
from typing import TYPE_CHECKING

import pytest

import coodie.sync
from coodie.connections import get_driver
from coodie.exceptions import MigrationLockedError
from coodie.migrate.state import MigrationState

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.integration

MODEL_V1 = """
from typing import Annotated
from coodie.fields import Indexed, PrimaryKey
from coodie.sync import Document

class Product(Document):
    id: Annotated[int, PrimaryKey()]
    name: str
    Settings = type("Settings", (), {"name": "products"})
"""
MODEL_V2 = """
from typing import Annotated
from coodie.fields import Indexed, PrimaryKey
from coodie.sync import Document

class Product(Document):
    id: Annotated[int, PrimaryKey()]
    name: str
    colour: Annotated[str | None, Indexed()] = None
    Settings = type("Settings", (), {"name": "products", "options": {"comment": "v2"}})
"""
MODEL_NEW_KEY = MODEL_V1.replace(
    "id: Annotated[int, PrimaryKey()]", "id: Annotated[str, PrimaryKey()]"
)


class Project:
    """A folder with a models module and a migrations folder, and a keyspace of its own."""

    def __init__(self, root: Path, driver: str, hosts: list[str], keyspace: str) -> None:
        self.root, self.driver, self.keyspace = root, driver, keyspace
        self.module = f"it_mig_models_{uuid.uuid4().hex[:8]}"
        self.env = {**os.environ, "COODIE_HOSTS": ",".join(hosts), "COODIE_DRIVER": driver}
        self.env["PYTHONPATH"] = os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])

    def models(self, source: str) -> None:
        (self.root / f"{self.module}.py").write_text(textwrap.dedent(source), encoding="utf-8")

    def run(self, *args: str, code: int = 0, **env: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "coodie", *args],
            cwd=self.root,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == code, (done.stdout, done.stderr)
        return done.stdout + done.stderr

    def versions(self) -> list[Path]:
        return sorted((self.root / "migrations" / "versions").glob("*.py"))


@pytest.fixture
def project(
    tmp_path: Path, driver_type: str, coodie_contact_points: list[str]
) -> Iterator[Project]:
    keyspace = f"it_migrate_cli_{driver_type}"
    connection = f"it-{driver_type}"
    coodie.sync.execute(f"DROP KEYSPACE IF EXISTS {keyspace}", connection=connection)
    coodie.sync.create_keyspace(keyspace, connection=connection)
    found = Project(tmp_path, driver_type, coodie_contact_points, keyspace)
    found.models(MODEL_V1)
    found.run("migrate", "init", "--models", found.module, "-k", keyspace)
    yield found
    coodie.sync.execute(f"DROP KEYSPACE IF EXISTS {keyspace}", connection=connection)


def test_autogenerate_upgrade_then_schema_diff_is_empty(project: Project) -> None:
    diff = ["schema", "diff", project.module, "-k", project.keyspace]
    assert "create table" in project.run(*diff, code=1)
    assert "created" in project.run("migrate", "autogenerate", "initial")
    assert "pending" in project.run("migrate", "status")
    assert "1 migration(s) applied" in project.run("migrate", "upgrade")
    assert "no differences" in project.run(*diff)

    project.models(MODEL_V2)
    changed = project.run(*diff, code=1)
    assert "add column colour text" in changed
    assert "create index products_colour_idx" in changed
    assert "table options comment" in changed
    project.run("migrate", "autogenerate", "colour")
    second = project.versions()[-1].read_text(encoding="utf-8")
    assert "op.add_column('products', 'colour', 'text')" in second
    assert "op.drop_column('products', 'colour')" in second
    assert "up to date" not in project.run("migrate", "upgrade")
    assert "no differences" in project.run(*diff)
    assert "no differences" in project.run("migrate", "autogenerate", "nothing")

    status = project.run("migrate", "status")
    assert status.count("applied ") == 2, status
    assert f"{os.uname().nodename}/" in status  # who ran it: host/pid

    assert "1 migration(s) undone" in project.run("migrate", "downgrade")
    assert "add column colour" in project.run(*diff, code=1)
    assert "pending" in project.run("migrate", "status")
    assert "1 migration(s) applied" in project.run("migrate", "upgrade")


def test_a_changed_applied_migration_is_reported_not_run_again(project: Project) -> None:
    project.run("migrate", "new", "marker")
    path = project.versions()[0]
    body = "    op.execute('CREATE TABLE IF NOT EXISTS runs (id int PRIMARY KEY)')\n"
    body += "    op.execute('INSERT INTO runs (id) VALUES (1)')\n"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    pass\n", body, 1), encoding="utf-8")
    project.run("migrate", "upgrade")
    path.write_text(path.read_text(encoding="utf-8").replace("VALUES (1)", "VALUES (2)"))
    out = project.run("migrate", "upgrade")
    assert "changed after it was applied" in out
    assert "up to date" in out
    assert "changed " in project.run("migrate", "status")
    rows = coodie.sync.execute(
        f"SELECT id FROM {project.keyspace}.runs", connection=f"it-{project.driver}"
    ).rows
    assert [tuple(r) for r in rows] == [(1,)]


def test_a_primary_key_change_is_written_as_a_plan_not_as_code(project: Project) -> None:
    project.run("migrate", "autogenerate", "initial")
    project.run("migrate", "upgrade")
    project.models(MODEL_NEW_KEY)
    out = project.run("migrate", "autogenerate", "new key")
    assert "warning: Product: REFUSED" in out
    assert "cannot be changed in place" in out
    plan = project.versions()[-1].read_text(encoding="utf-8")
    assert "# NOT APPLIED:" in plan
    assert "op.scan(" in plan
    project.run("migrate", "upgrade")  # the plan runs nothing
    assert "REFUSED" in project.run(
        "schema", "diff", project.module, "-k", project.keyspace, code=1
    )


def test_upgrade_can_create_the_keyspace_first(project: Project) -> None:
    connection = f"it-{project.driver}"
    coodie.sync.execute(f"DROP KEYSPACE IF EXISTS {project.keyspace}", connection=connection)
    assert "does not exist" in project.run("migrate", "status", code=2)
    assert "up to date" in project.run("migrate", "upgrade", "--create-keyspace", "1")
    assert "no migrations" in project.run("migrate", "status")


def test_sync_and_cql_commands(project: Project) -> None:
    project.models(MODEL_V2)
    cql = project.run("cql", f"{project.module}:Product")
    assert "CREATE TABLE IF NOT EXISTS products" in cql
    assert "CREATE INDEX" in cql
    assert "[1/1] Product: 2 statement(s)" in project.run(
        "sync", project.module, "-k", project.keyspace
    )
    assert "[1/1] Product: up to date" in project.run(
        "sync", project.module, "-k", project.keyspace
    )


def test_an_async_migration_body_runs(project: Project) -> None:
    project.run("migrate", "new", "async body")
    path = project.versions()[0]
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "def upgrade(op: Operations) -> None:\n    pass",
        textwrap.dedent("""\
        async def upgrade(op: Operations) -> None:
            import coodie.aio
            await coodie.aio.execute("CREATE TABLE made_async (id int PRIMARY KEY)")"""),
    )
    path.write_text(text, encoding="utf-8")
    project.run("migrate", "upgrade")
    rows = coodie.sync.execute(
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?",
        [project.keyspace],
        connection=f"it-{project.driver}",
    ).rows
    assert "made_async" in {r[0] for r in rows}


MODEL_TYPES_AND_VIEW = """
from typing import Annotated
from coodie.fields import ClusteringKey, PrimaryKey
from coodie.sync import Document, MaterializedView, UserType

class Geo(UserType):
    lat: float
    lon: float

class Place(UserType):
    city: str
    geo: Geo | None = None

class Shop(Document):
    id: Annotated[int, PrimaryKey()]
    owner: str = ""
    place: Place | None = None
    Settings = type("Settings", (), {"name": "shops"})

class ShopByOwner(MaterializedView):
    owner: Annotated[str, PrimaryKey()]
    id: Annotated[int, ClusteringKey()]
    Settings = type("Settings", (), {"name": "shops_by_owner", "base": Shop})
"""


def test_type_and_view_operations_upgrade_and_downgrade(project: Project) -> None:
    project.models(MODEL_TYPES_AND_VIEW)
    project.run("migrate", "new", "types and view")
    path = project.versions()[0]
    text = path.read_text(encoding="utf-8")
    body = textwrap.dedent(f"""\
        def upgrade(op: Operations) -> None:
            from {project.module} import Place, Shop, ShopByOwner
            op.create_type(Place)
            op.create_table(Shop)
            op.create_view(ShopByOwner)


        def downgrade(op: Operations) -> None:
            from {project.module} import Geo, Place, ShopByOwner
            op.drop_view(ShopByOwner)
            op.drop_table("shops")
            op.drop_type(Place)
            op.drop_type(Geo)""")
    text = text.replace("def upgrade(op: Operations) -> None:\n    pass", body)
    text = text.replace("\n\ndef downgrade(op: Operations) -> None:\n    pass", "")
    path.write_text(text, encoding="utf-8")
    project.run("migrate", "upgrade")
    connection = f"it-{project.driver}"

    def names(table: str, column: str) -> set[str]:
        query = f"SELECT {column} FROM system_schema.{table} WHERE keyspace_name = ?"
        rows = coodie.sync.execute(query, [project.keyspace], connection=connection).rows
        return {row[0] for row in rows}

    assert names("types", "type_name") == {"geo", "place"}
    assert names("views", "view_name") == {"shops_by_owner"}
    project.run("migrate", "downgrade", "base")
    assert names("types", "type_name") == set()
    assert names("views", "view_name") == set()
    assert "shops" not in names("tables", "table_name")


def test_lock_two_processes_racing_run_the_migration_once(project: Project) -> None:
    project.run("migrate", "new", "slow")
    path = project.versions()[0]
    body = (
        "    import time\n"
        "    op.execute('CREATE TABLE IF NOT EXISTS ran (who text PRIMARY KEY)')\n"
        "    op.execute('INSERT INTO ran (who) VALUES (?)', [str(__import__('os').getpid())])\n"
        "    time.sleep(4)\n"
    )
    path.write_text(path.read_text(encoding="utf-8").replace("    pass\n", body, 1))
    racers = [
        subprocess.Popen(
            [sys.executable, "-m", "coodie", "migrate", "upgrade"],
            cwd=project.root,
            env=project.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    results = []
    for racer in racers:
        out, _ = racer.communicate(timeout=120)
        results.append((racer.returncode, out))
    codes = sorted(code for code, _ in results)
    outs = " | ".join(out for _, out in results)
    assert codes == [0, 1], outs
    assert "MigrationLockedError" in outs
    assert "holds the migration lock" in outs
    rows = coodie.sync.execute(
        f"SELECT who FROM {project.keyspace}.ran", connection=f"it-{project.driver}"
    ).rows
    assert len(rows) == 1
    assert "up to date" in project.run("migrate", "upgrade")  # the lock was released


SCAN_BODY = """\
    import os
    from pathlib import Path

    log = Path(os.environ["SCAN_LOG"])
    crash_at = int(os.environ.get("SCAN_CRASH_AT", "0"))
    done = [0]

    def note(row: dict) -> None:
        if crash_at and done[0] == crash_at:
            raise RuntimeError("crash in the middle of the data migration")
        done[0] += 1
        with log.open("a") as out:
            out.write(f"{row['id']}\\n")

    op.scan("items", note, splits=8, concurrency=2, page_size=10)
"""


def test_a_data_migration_that_crashed_resumes_on_the_next_upgrade(project: Project) -> None:
    connection = f"it-{project.driver}"
    coodie.sync.execute(
        f"CREATE TABLE {project.keyspace}.items (id int PRIMARY KEY, label text)",
        connection=connection,
    )
    for i in range(200):
        coodie.sync.execute(
            f"INSERT INTO {project.keyspace}.items (id, label) VALUES (?, ?)",
            [i, f"item {i}"],
            connection=connection,
        )
    project.run("migrate", "new", "touch every item")
    path = project.versions()[0]
    path.write_text(path.read_text(encoding="utf-8").replace("    pass\n", SCAN_BODY, 1))
    log = project.root / "scan.log"
    out = project.run("migrate", "upgrade", code=1, SCAN_LOG=str(log), SCAN_CRASH_AT="70")
    assert "crash in the middle of the data migration" in out
    assert len(log.read_text().split()) == 70
    assert "pending" in project.run("migrate", "status")
    project.run("migrate", "upgrade", SCAN_LOG=str(log))
    ids = [int(line) for line in log.read_text().split()]
    assert sorted(ids) == list(range(200))  # every row once: none twice, none lost
    assert "applied" in project.run("migrate", "status")


def test_a_lock_lease_expires_by_itself(driver_type: str) -> None:
    connection = f"it-{driver_type}"
    keyspace = f"it_migrate_lease_{driver_type}"
    coodie.sync.create_keyspace(keyspace, connection=connection)
    try:
        state = MigrationState(get_driver(connection), keyspace)
        state.ensure_tables()
        first = state.lock(2)
        first.acquire()
        with pytest.raises(MigrationLockedError, match=f"{first.owner} holds the migration lock"):
            state.lock(2).acquire()
        first.renew()
        time.sleep(3)  # the holder died: nobody renews
        second = state.lock(60)
        second.acquire()
        with pytest.raises(MigrationLockedError, match="expired"):
            first.renew()
        first.release()  # not the owner: releases nothing
        with pytest.raises(MigrationLockedError):
            state.lock(2).acquire()
        second.release()
        state.lock(2).acquire()
    finally:
        coodie.sync.execute(f"DROP KEYSPACE IF EXISTS {keyspace}", connection=connection)

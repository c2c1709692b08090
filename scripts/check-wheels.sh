#!/usr/bin/env bash
# Build every workspace package with `uv build` and install the wheels into clean virtual
# environments: coodie-core alone, then the meta-package with each driver extra, and prove
# that each driver (cassandra-driver, scylla-driver, acsylla) reaches the node through
# init_coodie(hosts=["host:port"]) with the sync and the async API. The node: COODIE_TEST_HOSTS
# (.ci/run starts one on port 19042), else one started here and stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_uv

dist=$(mktemp -d)
cleanup() { rm -rf "$dist"; stop_started_node; }
trap cleanup EXIT
start_node_unless_given
for package in coodie-core coodie coodie-driver-cassandra coodie-driver-acsylla pytest-coodie; do
    uv build --quiet --package "$package" --no-sources --out-dir "$dist"
done
ls "$dist"

smoke() {  # smoke NAME REQUIREMENT PYTHON_CODE [ARGUMENTS...]
    local venv="$dist/venv-$1"
    uv venv --quiet "$venv"
    uv pip install --quiet --python "$venv/bin/python" --find-links "$dist" "$2"
    "$venv/bin/python" -c "$3" "${@:4}"
}

# No pin, and PyPI stays reachable: PyPI also serves `coodie` (1.x, the project this one
# rewrites), so the resolver must pick ours (the higher version) from the built wheels, as a
# user's `pip install --find-links dist "coodie[cassandra]"` would. `ours` proves it did.
version=$(cat VERSION)
ours='
import sys
from importlib import metadata
import coodie, coodie.aio, coodie.sync
expected = sys.argv[1]
installed = {name: metadata.version(name) for name in ("coodie", "coodie-core")}
assert installed == {"coodie": expected, "coodie-core": expected}, installed
assert coodie.__version__ == expected, coodie.__version__
assert metadata.distribution("coodie-core").locate_file("coodie/__init__.py").samefile(coodie.__file__)
print(f"coodie {coodie.__version__} is ours ({coodie.__file__})")
'
smoke core "coodie-core" "from coodie.sync import Document; import coodie.aio; print('coodie-core wheel OK')"
# Connect with each driver, sync and aio, to every contact point written as host:port.
connect_check='
import asyncio, os, sys
from importlib import metadata
import coodie.aio, coodie.sync
from coodie.connect import parse_contact_points
from coodie.drivers.statement import Statement

driver_type = sys.argv[1]
hosts = [str(p) for p in parse_contact_points(os.environ["COODIE_TEST_HOSTS"], 9042)]
query = Statement("SELECT release_version FROM system.local", prepare=False)
clients = [d for d in ("cassandra-driver", "scylla-driver", "acsylla") if d in {
    m.metadata["Name"] for m in metadata.distributions()}]
coodie.sync.init_coodie(hosts=hosts, driver_type=driver_type)
assert coodie.sync.execute(query).rows
coodie.sync.close_coodie()

async def main() -> None:
    await coodie.aio.init_coodie(hosts=hosts, driver_type=driver_type)
    assert (await coodie.aio.execute(query)).rows
    await coodie.aio.close_coodie()

asyncio.run(main())
names = ", ".join(clients)
print(f"{driver_type} ({names}) reached {hosts} with coodie.sync and coodie.aio")
'
for extra in cassandra scylla acsylla; do
    smoke "$extra" "coodie[$extra]" "import coodie.sync, coodie.aio"
    "$dist/venv-$extra/bin/python" -c "$ours" "$version"
    "$dist/venv-$extra/bin/python" -c "$connect_check" "$extra"
    listing=$("$dist/venv-$extra/bin/python" -m coodie drivers) || {
        echo "$listing"
        echo "python -m coodie drivers reported a broken plugin" >&2
        exit 1
    }
    echo "$listing"
    listed=$extra
    [ "$extra" = scylla ] && listed=cassandra  # scylla is an alias of the cassandra driver
    grep -q "^$listed " <<<"$listing" || { echo "driver $listed not listed" >&2; exit 1; }
done
# The otel extra brings opentelemetry-api; tracing=True then makes spans (no SDK: no-op ones).
smoke otel "coodie[cassandra,otel]" "$ours" "$version"
"$dist/venv-otel/bin/python" -c '
from opentelemetry import trace
from coodie.drivers.observe import ObserveOptions, observe
from coodie.testing import RecordingDriver
from coodie.drivers import Statement
driver = RecordingDriver()
assert observe(driver, ObserveOptions(tracing=True))
driver.execute(Statement("SELECT * FROM system.local"))
print("coodie[otel] traces")
'
echo "wheels OK"

"""Generate cassandra.yaml, logback.xml and the JVM command line for N local nodes.

Pure functions (no I/O) so configs for a 3-node ring can be unit-tested without 3 JVMs.
Multi-node follows the usual single-machine recipe: node i listens on 127.0.0.i with the same
ports as the others, every node is a seed, ``auto_bootstrap: false`` and one evenly spread
token per node, so no node has to stream data from another when the ring forms.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

DEFAULT_NATIVE_PORT = 9042
DEFAULT_STORAGE_PORT = 7000
DEFAULT_HEAP = "1G"
CLUSTER_NAME = "coodie-test"
MULTI_NODE_RING_DELAY_MS = 10000

_MIN_TOKEN = -(2**63)

# From conf/jvm17-server.options of the 5.0 branch: Chronicle, Netty and jamm need these.
_ADD_EXPORTS = (
    "java.base/jdk.internal.misc",
    "java.management.rmi/com.sun.jmx.remote.internal.rmi",
    "java.management/com.sun.jmx.remote.security",
    "java.rmi/sun.rmi.registry",
    "java.rmi/sun.rmi.server",
    "java.sql/java.sql",
    "java.base/java.lang.ref",
    "jdk.unsupported/sun.misc",
)
_ADD_OPENS = (
    "java.base/java.lang.module",
    "java.base/jdk.internal.loader",
    "java.base/jdk.internal.ref",
    "java.base/jdk.internal.reflect",
    "java.base/jdk.internal.math",
    "java.base/jdk.internal.module",
    "java.base/jdk.internal.util.jar",
    "jdk.management/com.sun.management.internal",
    "java.base/sun.nio.ch",
    "java.base/java.io",
    "java.base/java.lang.reflect",
    "java.base/java.lang",
    "java.base/java.util",
    "java.base/java.nio",
)
# Only present in a full JDK (not a JRE); passing them to a JRE prints warnings.
_FULL_JDK_EXPORTS = ("jdk.attach/sun.tools.attach", "jdk.compiler/com.sun.tools.javac.file")
_FULL_JDK_OPENS = ("jdk.compiler/com.sun.tools.javac",)


@dataclass(frozen=True)
class NodeSpec:
    """Everything that differs between the nodes of one local ring."""

    index: int  # 1-based
    address: str
    initial_token: int
    native_port: int
    storage_port: int
    seeds: tuple[str, ...]  # "address:storage_port"
    workdir: Path  # per-node folder: conf/, data/, logs/

    @property
    def conf_dir(self) -> Path:
        """The node's configuration folder."""
        return self.workdir / "conf"

    @property
    def data_dir(self) -> Path:
        """The node's data folder."""
        return self.workdir / "data"

    @property
    def log_dir(self) -> Path:
        """The node's log folder."""
        return self.workdir / "logs"

    @property
    def triggers_dir(self) -> Path:
        """The node's (empty) triggers folder, which Cassandra expects."""
        return self.conf_dir / "triggers"

    @property
    def yaml_path(self) -> Path:
        """The node's ``cassandra.yaml``."""
        return self.conf_dir / "cassandra.yaml"

    @property
    def logback_path(self) -> Path:
        """The node's ``logback.xml``."""
        return self.conf_dir / "logback.xml"

    @property
    def output_log(self) -> Path:
        """stdout+stderr of the JVM (logback logs to the console)."""
        return self.log_dir / "output.log"


def initial_tokens(nodes: int) -> list[int]:
    """Murmur3 tokens spread evenly over the ring, starting at its minimum."""
    if nodes < 1:
        raise ValueError("nodes must be >= 1")
    step = 2**64 // nodes
    return [_MIN_TOKEN + i * step for i in range(nodes)]


def node_specs(
    nodes: int,
    root: Path,
    native_port: int = DEFAULT_NATIVE_PORT,
    storage_port: int = DEFAULT_STORAGE_PORT,
) -> list[NodeSpec]:
    """Specs for nodes on 127.0.0.1 .. 127.0.0.N, each with its own folder under ``root``."""
    if nodes > 254:
        raise ValueError("at most 254 nodes fit on 127.0.0.0/24")
    addresses = [f"127.0.0.{i}" for i in range(1, nodes + 1)]
    seeds = tuple(f"{a}:{storage_port}" for a in addresses)
    return [
        NodeSpec(
            index=i + 1,
            address=address,
            initial_token=token,
            native_port=native_port,
            storage_port=storage_port,
            seeds=seeds,
            workdir=root / f"node{i + 1}",
        )
        for i, (address, token) in enumerate(zip(addresses, initial_tokens(nodes), strict=True))
    ]


def _q(value: str | Path) -> str:
    """A YAML double-quoted scalar; JSON strings are valid YAML."""
    return json.dumps(str(value))


def cassandra_yaml(spec: NodeSpec, *, auth: bool = False) -> str:
    """A minimal cassandra.yaml for Cassandra 5.0 (5.0 key names, with units in values).

    ``auth``: PasswordAuthenticator, so clients must log in (the role manager creates the
    default superuser ``cassandra``/``cassandra`` shortly after start-up).
    """
    authenticator = "PasswordAuthenticator" if auth else "AllowAllAuthenticator"
    lines = [
        f"cluster_name: {_q(CLUSTER_NAME)}",
        "num_tokens: 1",
        f"initial_token: {_q(str(spec.initial_token))}",
        "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
        "endpoint_snitch: SimpleSnitch",
        "seed_provider:",
        "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
        "    parameters:",
        f"      - seeds: {_q(','.join(spec.seeds))}",
        f"listen_address: {spec.address}",
        f"rpc_address: {spec.address}",
        f"storage_port: {spec.storage_port}",
        "start_native_transport: true",
        f"native_transport_port: {spec.native_port}",
        "auto_bootstrap: false",
        "data_file_directories:",
        f"  - {_q(spec.data_dir / 'data')}",
        f"commitlog_directory: {_q(spec.data_dir / 'commitlog')}",
        f"saved_caches_directory: {_q(spec.data_dir / 'saved_caches')}",
        f"hints_directory: {_q(spec.data_dir / 'hints')}",
        f"cdc_raw_directory: {_q(spec.data_dir / 'cdc_raw')}",
        "commitlog_sync: periodic",
        "commitlog_sync_period: 10000ms",
        "commitlog_disk_access_mode: legacy",
        "auto_snapshot: false",
        "snapshot_before_compaction: false",
        f"authenticator: {authenticator}",
        "authorizer: AllowAllAuthorizer",
        "role_manager: CassandraRoleManager",
        "materialized_views_enabled: true",
        "sasi_indexes_enabled: true",
        "user_defined_functions_enabled: true",
        "storage_compatibility_mode: NONE",
        "concurrent_reads: 8",
        "concurrent_writes: 8",
        "concurrent_counter_writes: 8",
        "concurrent_compactors: 1",
        "",
    ]
    return "\n".join(lines)


def logback_xml() -> str:
    """Log INFO to the console; the launcher sends the JVM's stdout to ``logs/output.log``."""
    return """<?xml version="1.0" encoding="UTF-8"?>
<configuration scan="false">
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder>
      <pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern>
    </encoder>
  </appender>
  <root level="INFO">
    <appender-ref ref="STDOUT"/>
  </root>
</configuration>
"""


def jvm_args(
    spec: NodeSpec,
    jamm_jar: Path,
    *,
    nodes: int,
    heap: str = DEFAULT_HEAP,
    full_jdk: bool = True,
) -> list[str]:
    """JVM options (everything between ``java`` and the main class), per the 5.0 scripts."""
    args = [
        f"-Xms{heap}",
        f"-Xmx{heap}",
        "-Xss256k",
        "-XX:+UseG1GC",
        "-XX:+ParallelRefProcEnabled",
        "-XX:MaxGCPauseMillis=300",
        "-XX:+PerfDisableSharedMem",
        "-XX:+UseThreadPriorities",
        "-XX:+ExitOnOutOfMemoryError",
        "-ea",
        "-da:net.openhft...",
        "-Djava.net.preferIPv4Stack=true",
        "-Dchronicle.analytics.disable=true",
        "-Djdk.attach.allowAttachSelf=true",
        "-Dio.netty.tryReflectionSetAccessible=true",
        f"-javaagent:{jamm_jar}",
    ]
    exports = list(_ADD_EXPORTS) + (list(_FULL_JDK_EXPORTS) if full_jdk else [])
    opens = list(_ADD_OPENS) + (list(_FULL_JDK_OPENS) if full_jdk else [])
    args += [f"--add-exports={m}=ALL-UNNAMED" for m in exports]
    args += [f"--add-opens={m}=ALL-UNNAMED" for m in opens]
    args += [
        f"-Dcassandra.config={spec.yaml_path.resolve().as_uri()}",
        f"-Dcassandra.storagedir={spec.data_dir}",
        f"-Dcassandra.logdir={spec.log_dir}",
        f"-Dlogback.configurationFile={spec.logback_path}",
        "-Dcassandra-foreground=yes",
        f"-Dcassandra.triggers_dir={spec.triggers_dir}",
        "-Dcassandra.skip_wait_for_gossip_to_settle=0",
        "-Dcassandra.superuser_setup_delay_ms=0",
        "-Dcassandra.unsafesystem=true",
        "-Dcassandra.libjemalloc=-",
    ]
    if nodes > 1:
        args.append(f"-Dcassandra.ring_delay_ms={MULTI_NODE_RING_DELAY_MS}")
    return args


def java_command(
    java: Path,
    spec: NodeSpec,
    lib: Path,
    jamm_jar: Path,
    *,
    nodes: int,
    heap: str = DEFAULT_HEAP,
    full_jdk: bool = True,
    extra_args: Sequence[str] = (),
) -> list[str]:
    """The full argv: ``java <options> -cp CONF:LIB/* CassandraDaemon``."""
    return [
        str(java),
        *jvm_args(spec, jamm_jar, nodes=nodes, heap=heap, full_jdk=full_jdk),
        *extra_args,
        "-cp",
        f"{spec.conf_dir}:{lib}/*",
        "org.apache.cassandra.service.CassandraDaemon",
    ]

"""Config generation for 1 and 3 local nodes, checked without starting any JVM."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_coodie import config


def top_level(yaml_text: str) -> dict[str, str]:
    """Top-level ``key: value`` pairs of the generated YAML (nested blocks are skipped)."""
    pairs: dict[str, str] = {}
    for line in yaml_text.splitlines():
        if line and not line.startswith((" ", "-")) and ":" in line:
            key, _, value = line.partition(":")
            pairs[key] = value.strip()
    return pairs


def test_single_node_spec(tmp_path: Path) -> None:
    (spec,) = config.node_specs(1, tmp_path)
    assert spec.address == "127.0.0.1"
    assert spec.seeds == ("127.0.0.1:7000",)
    assert spec.initial_token == -(2**63)
    assert (spec.native_port, spec.storage_port) == (9042, 7000)
    assert spec.workdir == tmp_path / "node1"


def test_three_node_tokens_match_the_even_split() -> None:
    assert config.initial_tokens(3) == [
        -9223372036854775808,
        -3074457345618258603,
        3074457345618258602,
    ]


def test_three_node_specs_share_ports_and_seeds(tmp_path: Path) -> None:
    specs = config.node_specs(3, tmp_path, native_port=19042, storage_port=17000)
    assert [s.address for s in specs] == ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
    assert {s.native_port for s in specs} == {19042}
    assert {s.storage_port for s in specs} == {17000}
    for spec in specs:
        assert spec.seeds == ("127.0.0.1:17000", "127.0.0.2:17000", "127.0.0.3:17000")
    assert len({s.data_dir for s in specs}) == 3
    assert len({s.log_dir for s in specs}) == 3


def test_yaml_for_node_two_of_three(tmp_path: Path) -> None:
    spec = config.node_specs(3, tmp_path)[1]
    text = config.cassandra_yaml(spec)
    keys = top_level(text)
    assert keys["listen_address"] == "127.0.0.2"
    assert keys["rpc_address"] == "127.0.0.2"
    assert keys["initial_token"] == '"-3074457345618258603"'
    assert keys["num_tokens"] == "1"
    assert keys["auto_bootstrap"] == "false"
    assert keys["native_transport_port"] == "9042"
    assert keys["storage_port"] == "7000"
    assert keys["storage_compatibility_mode"] == "NONE"
    assert keys["commitlog_sync"] == "periodic"
    assert keys["authenticator"] == "AllowAllAuthenticator"
    for flag in (
        "materialized_views_enabled",
        "sasi_indexes_enabled",
        "user_defined_functions_enabled",
    ):
        assert keys[flag] == "true"
    assert "default_secondary_index" not in keys  # plain CREATE INDEX stays legacy
    assert '- seeds: "127.0.0.1:7000,127.0.0.2:7000,127.0.0.3:7000"' in text
    assert str(tmp_path / "node2" / "data" / "commitlog") in keys["commitlog_directory"]


def jamm(tmp_path: Path) -> Path:
    return tmp_path / "lib" / "jamm-0.4.0.jar"


def test_jvm_args_single_node(tmp_path: Path) -> None:
    (spec,) = config.node_specs(1, tmp_path)
    args = config.jvm_args(spec, jamm(tmp_path), nodes=1)
    for expected in (
        "-Xms1G",
        "-Xmx1G",
        "-Xss256k",
        "-XX:+UseG1GC",
        "-Dcassandra.skip_wait_for_gossip_to_settle=0",
        "-Dcassandra.superuser_setup_delay_ms=0",
        "-Dcassandra.unsafesystem=true",
        "-Dcassandra.libjemalloc=-",
        "-Dcassandra-foreground=yes",
        f"-javaagent:{jamm(tmp_path)}",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.attach/sun.tools.attach=ALL-UNNAMED",
    ):
        assert expected in args
    config_arg = next(a for a in args if a.startswith("-Dcassandra.config="))
    assert config_arg == f"-Dcassandra.config=file://{spec.yaml_path.resolve()}"
    assert not any(a.startswith("-Dcassandra.ring_delay_ms") for a in args)
    assert not any(a.startswith("-Dcassandra.jmx") for a in args)


def test_jvm_args_multi_node_and_jre(tmp_path: Path) -> None:
    spec = config.node_specs(3, tmp_path)[2]
    args = config.jvm_args(spec, jamm(tmp_path), nodes=3, heap="512M", full_jdk=False)
    assert "-Dcassandra.ring_delay_ms=10000" in args
    assert "-Xmx512M" in args
    module_flags = [a for a in args if a.startswith("--add-")]
    assert len(module_flags) == 22
    assert not any("jdk.compiler" in a or "jdk.attach" in a for a in module_flags)
    assert f"-Dcassandra.storagedir={spec.data_dir}" in args


def test_java_command_shape(tmp_path: Path) -> None:
    (spec,) = config.node_specs(1, tmp_path)
    lib = tmp_path / "lib"
    cmd = config.java_command(Path("/jdk/bin/java"), spec, lib, jamm(tmp_path), nodes=1)
    assert cmd[0] == "/jdk/bin/java"
    assert cmd[-3:] == [
        "-cp",
        f"{spec.conf_dir}:{lib}/*",
        "org.apache.cassandra.service.CassandraDaemon",
    ]


def test_node_count_is_validated(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="nodes must be >= 1"):
        config.initial_tokens(0)
    with pytest.raises(ValueError, match="254"):
        config.node_specs(255, tmp_path)

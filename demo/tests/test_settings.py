"""Settings from the environment (no database)."""

import pytest

from coodie_demo.settings import DEFAULT_HOSTS, DemoSettings


def test_defaults() -> None:
    settings = DemoSettings.from_env({})
    assert settings == DemoSettings()
    assert settings.hosts == DEFAULT_HOSTS
    assert settings.keyspace == "catalog"
    assert settings.driver == "cassandra"
    assert settings.replication_factor == 1
    assert settings.token_key is None


def test_everything_from_the_environment() -> None:
    settings = DemoSettings.from_env(
        {
            "COODIE_HOSTS": " 10.0.0.1:9042, 10.0.0.2 ,",
            "COODIE_KEYSPACE": "shop",
            "COODIE_DRIVER": "acsylla",
            "COODIE_REPLICATION_FACTOR": "3",
            "COODIE_DEMO_TOKEN_KEY": "s3cret",
        }
    )
    assert settings.hosts == ("10.0.0.1:9042", "10.0.0.2")
    assert settings.keyspace == "shop"
    assert settings.driver == "acsylla"
    assert settings.replication_factor == 3
    assert settings.token_key == b"s3cret"


def test_hosts_fall_back_to_the_test_hosts() -> None:
    env = {"COODIE_TEST_HOSTS": "127.0.0.2:9043"}
    assert DemoSettings.from_env(env).hosts == ("127.0.0.2:9043",)
    env["COODIE_HOSTS"] = "127.0.0.3"
    assert DemoSettings.from_env(env).hosts == ("127.0.0.3",)


def test_empty_values_mean_defaults() -> None:
    env = {"COODIE_HOSTS": "", "COODIE_KEYSPACE": "", "COODIE_DRIVER": "", "COODIE_TEST_HOSTS": ""}
    assert DemoSettings.from_env(env) == DemoSettings()


def test_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COODIE_KEYSPACE", "from_os")
    assert DemoSettings.from_env().keyspace == "from_os"


@pytest.mark.parametrize("value", ["zero", "0", "-1", "1.5"])
def test_bad_replication_factor(value: str) -> None:
    with pytest.raises(ValueError, match="COODIE_REPLICATION_FACTOR"):
        DemoSettings.from_env({"COODIE_REPLICATION_FACTOR": value})

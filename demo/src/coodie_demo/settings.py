"""Settings of the demo, read from environment variables."""

import os
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["DEFAULT_HOSTS", "DRIVERS", "DemoSettings"]

DEFAULT_HOSTS = ("127.0.0.1:9042",)
DRIVERS = ("cassandra", "acsylla")


@dataclass(frozen=True)
class DemoSettings:
    """Where the catalog lives.

    ``hosts`` are contact points as ``host`` or ``host:port``; ``driver`` names a coodie driver
    plugin (``python -m coodie drivers`` lists them); ``token_key`` signs page tokens (give
    every instance behind one load balancer the same key).
    """

    hosts: tuple[str, ...] = DEFAULT_HOSTS
    keyspace: str = "catalog"
    driver: str = "cassandra"
    replication_factor: int = 1
    token_key: bytes | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "DemoSettings":
        """``COODIE_HOSTS`` (else ``COODIE_TEST_HOSTS``, else 127.0.0.1:9042),
        ``COODIE_KEYSPACE`` (default ``catalog``), ``COODIE_DRIVER`` (default ``cassandra``),
        ``COODIE_REPLICATION_FACTOR`` (default 1) and ``COODIE_DEMO_TOKEN_KEY`` (the secret
        that signs page tokens; default: random per process)."""
        env = os.environ if environ is None else environ
        raw_hosts = env.get("COODIE_HOSTS") or env.get("COODIE_TEST_HOSTS") or ""
        hosts = tuple(h.strip() for h in raw_hosts.split(",") if h.strip()) or DEFAULT_HOSTS
        raw_rf = env.get("COODIE_REPLICATION_FACTOR") or "1"
        try:
            replication_factor = int(raw_rf)
        except ValueError:
            raise ValueError(
                f"COODIE_REPLICATION_FACTOR must be a positive integer, got {raw_rf!r}."
            ) from None
        if replication_factor < 1:
            raise ValueError(
                f"COODIE_REPLICATION_FACTOR must be a positive integer, got {raw_rf!r}."
            )
        return cls(
            hosts=hosts,
            keyspace=env.get("COODIE_KEYSPACE") or "catalog",
            driver=env.get("COODIE_DRIVER") or "cassandra",
            replication_factor=replication_factor,
            token_key=(env.get("COODIE_DEMO_TOKEN_KEY") or "").encode() or None,
        )

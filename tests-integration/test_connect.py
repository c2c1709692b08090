"""Connecting through init_coodie: the same behaviour on every driver and both APIs."""

from __future__ import annotations

from typing import Any as Api

import pytest

from coodie.drivers import Statement
from coodie.exceptions import ConfigurationError

pytestmark = pytest.mark.integration


def _host_port(contact_points: list[str]) -> list[str]:
    """Every contact point written as ``host:port`` (the node may use any port)."""
    from coodie.connect import parse_contact_points

    return [str(point) for point in parse_contact_points(contact_points, 9042)]


async def test_host_port_contact_points_reach_the_node(
    api: Api, coodie_contact_points: list[str]
) -> None:
    hosts = _host_port(coodie_contact_points)
    driver = await api(
        api.module.init_coodie(hosts=hosts, driver_type=api.driver_type, name="it-hostport")
    )
    try:
        page = await api(
            api.module.execute(
                Statement("SELECT release_version FROM system.local", prepare=False),
                connection="it-hostport",
            )
        )
        assert page.rows
    finally:
        await api(api.module.close_coodie("it-hostport"))
    assert driver is not None


async def test_port_option_applies_to_hosts_without_one(
    api: Api, coodie_contact_points: list[str]
) -> None:
    (first, *_) = _host_port(coodie_contact_points)
    host, _, port = first.rpartition(":")
    await api(
        api.module.init_coodie(
            hosts=[host], port=int(port), driver_type=api.driver_type, name="it-port"
        )
    )
    await api(api.module.close_coodie("it-port"))


async def test_missing_keyspace_fails_fast_on_every_driver(
    api: Api, coodie_contact_points: list[str]
) -> None:
    with pytest.raises(ConfigurationError) as info:
        await api(
            api.module.init_coodie(
                hosts=coodie_contact_points,
                keyspace="coodie_it_no_such_keyspace",
                driver_type=api.driver_type,
                name="it-missing",
            )
        )
    message = str(info.value)
    assert "Keyspace 'coodie_it_no_such_keyspace' does not exist" in message
    assert "create_keyspace('coodie_it_no_such_keyspace'" in message
    from coodie import connections

    assert "it-missing" not in connections.names()

"""The users' fixtures without a node: names, markers, options (pytester, in-process)."""

from __future__ import annotations

import pytest

from pytest_coodie.fixtures import keyspace_name

pytest_plugins = ["pytester"]
INI = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"


@pytest.fixture(autouse=True)
def _quiet_ini(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)


def test_keyspace_name_is_valid_unique_and_names_the_module() -> None:
    name = keyspace_name("tests.test_Orders-API")
    assert name.startswith("t_test_orders_api_")
    assert name != keyspace_name("tests.test_Orders-API")
    long = keyspace_name("x" * 200, suffix="abc")
    assert len(long) == 48
    assert long.endswith("_abc")
    assert keyspace_name("---", suffix="abc") == "t_abc"


def test_driver_type_defaults_to_cassandra_then_ini_then_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_driver(coodie_driver_type, request):
            assert coodie_driver_type == request.config.getoption("want")
        """
    )
    pytester.makeconftest("def pytest_addoption(parser):\n    parser.addoption('--want')\n")
    pytester.runpytest("--want", "cassandra").assert_outcomes(passed=1)
    pytester.makeini(INI + "coodie_driver = acsylla\n")
    pytester.runpytest("--want", "acsylla").assert_outcomes(passed=1)
    pytester.runpytest("--want", "other", "--coodie-driver", "other").assert_outcomes(passed=1)


def test_models_come_from_markers_closest_first_once_each(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        class A: ...
        class B: ...
        class C: ...

        pytestmark = pytest.mark.coodie_models([A, B])

        @pytest.mark.coodie_models([C, A])
        def test_marked(coodie_models):
            assert coodie_models == [C, A, B]

        @pytest.mark.coodie_models(C, A)
        def test_args(coodie_models):
            assert coodie_models == [C, A, B]

        def test_module_only(coodie_models):
            assert coodie_models == [A, B]
        """
    )
    pytester.runpytest("--strict-markers").assert_outcomes(passed=3)


def test_models_fixture_can_be_overridden(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.fixture
        def coodie_models():
            return [int]

        def test_it(coodie_models):
            assert coodie_models == [int]
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_connect_options_carry_the_hosts_and_login(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COODIE_TEST_HOSTS", "db1,db2:19142")
    pytester.makepyfile(
        """
        def test_options(coodie_connect_options):
            assert coodie_connect_options == {
                "hosts": ["db1:9042", "db2:19142"],
                "username": "app",
                "password": "secret",
            }
        """
    )
    pytester.runpytest("--coodie-auth", "app:secret").assert_outcomes(passed=1)

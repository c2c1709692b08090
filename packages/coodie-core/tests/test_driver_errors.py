"""The driver-neutral DriverError subclasses: what each says about applying and retrying."""

from __future__ import annotations

import pickle

import pytest

import coodie
from coodie.exceptions import (
    AuthenticationFailedError,
    ClientTimeoutError,
    ConnectTimeoutError,
    CoodieError,
    DriverError,
    InvalidRequestError,
    NoHostAvailableError,
    OverloadedError,
    ReadTimeoutError,
    ReplicaCountError,
    RequestTimeoutError,
    UnavailableError,
    WriteTimeoutError,
)

KINDS = [
    (DriverError, True, False),
    (WriteTimeoutError, True, True),
    (ReadTimeoutError, False, True),
    (ClientTimeoutError, True, True),
    (UnavailableError, False, True),
    (OverloadedError, False, True),
    (NoHostAvailableError, False, True),
    (ConnectTimeoutError, False, True),
    (AuthenticationFailedError, False, False),
    (InvalidRequestError, False, False),
]


@pytest.mark.parametrize(("kind", "maybe_applied", "retryable"), KINDS)
def test_each_kind_answers_maybe_applied_and_retryable(
    kind: type[DriverError], maybe_applied: bool, retryable: bool
) -> None:
    error = kind("message")
    assert isinstance(error, DriverError)
    assert isinstance(error, CoodieError)
    assert (error.maybe_applied, error.retryable) == (maybe_applied, retryable)
    assert getattr(coodie, kind.__name__) is kind  # public at the top level
    assert str(pickle.loads(pickle.dumps(error))) == "message"


def test_timeouts_share_a_base_and_connect_timeout_is_no_host_available() -> None:
    for kind in (WriteTimeoutError, ReadTimeoutError, ClientTimeoutError):
        assert issubclass(kind, RequestTimeoutError)
    assert issubclass(ConnectTimeoutError, NoHostAvailableError)


def test_details_are_kept() -> None:
    unavailable = UnavailableError("m", consistency="TWO", required=2, alive=1)
    assert (unavailable.consistency, unavailable.required, unavailable.alive) == ("TWO", 2, 1)
    timeout = WriteTimeoutError("m", consistency="QUORUM", required=2, received=1)
    assert (timeout.consistency, timeout.required, timeout.received) == ("QUORUM", 2, 1)
    gave_up = ConnectTimeoutError("m", waited=3.5, attempts=4, errors={"h:9042": "refused"})
    assert (gave_up.waited, gave_up.attempts, gave_up.errors) == (3.5, 4, {"h:9042": "refused"})
    assert UnavailableError("m").alive is None


def test_what_the_server_reports_of_replicas_has_one_base() -> None:
    for kind in (WriteTimeoutError, ReadTimeoutError, ClientTimeoutError, UnavailableError):
        assert issubclass(kind, ReplicaCountError)
        plain = kind("m")
        assert (plain.consistency, plain.required, str(plain)) == (None, None, "m")
        assert isinstance(plain, DriverError)
    assert ReadTimeoutError("m").received is None
    with pytest.raises(TypeError):
        UnavailableError("m", received=1)  # type: ignore[call-arg]

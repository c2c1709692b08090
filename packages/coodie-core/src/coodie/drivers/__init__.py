"""The driver boundary: what a driver plugin implements and what it receives.

A driver executes :class:`Statement` / :class:`BatchStatement` objects and answers with a
:class:`ResultPage`; :class:`AbstractDriver` is the interface, and :class:`AsyncOnlyDriver` /
:class:`SyncOnlyDriver` give a client with only one of the two paths the other. Driver
authors import from here (see docs/writing-a-driver.md).
"""

from coodie.drivers.async_only import AsyncOnlyDriver, run_on_own_loop, run_on_own_loop_async
from coodie.drivers.base import AbstractDriver, Decoder, Encoder
from coodie.drivers.loop_thread import BackgroundLoop
from coodie.drivers.sent import RequestObserver, SentRequest
from coodie.drivers.statement import BatchStatement, BatchType, Consistency, ResultPage, Statement
from coodie.drivers.sync_only import SyncOnlyDriver

__all__ = [
    "AbstractDriver",
    "AsyncOnlyDriver",
    "BackgroundLoop",
    "BatchStatement",
    "BatchType",
    "Consistency",
    "Decoder",
    "Encoder",
    "RequestObserver",
    "ResultPage",
    "SentRequest",
    "Statement",
    "SyncOnlyDriver",
    "run_on_own_loop",
    "run_on_own_loop_async",
]

"""The driver boundary: what a driver plugin implements and what it receives.

A driver executes :class:`Statement` / :class:`BatchStatement` objects and answers with a
:class:`ResultPage`; :class:`AbstractDriver` is the interface. Driver authors import from
here (see docs/writing-a-driver.md).
"""

from coodie.drivers.base import AbstractDriver, Decoder, Encoder
from coodie.drivers.sent import RequestObserver, SentRequest
from coodie.drivers.statement import BatchStatement, BatchType, Consistency, ResultPage, Statement

__all__ = [
    "AbstractDriver",
    "BatchStatement",
    "BatchType",
    "Consistency",
    "Decoder",
    "Encoder",
    "RequestObserver",
    "ResultPage",
    "SentRequest",
    "Statement",
]

"""Helpers for testing code that uses coodie, and for testing coodie drivers.

* :class:`RecordingDriver`: an in-memory driver that records every statement and answers
  with canned pages; no database needed.
* :mod:`coodie.testing.conformance`: the test suite every driver plugin runs against a real
  node by subclassing :class:`~coodie.testing.conformance.DriverConformanceSuite`.
* :mod:`coodie.testing.self_test`: the suite's self-test on any driver, over the mutants of
  :mod:`coodie.testing.mutants` (each breaks one rule; the suite must catch them all).
"""

from coodie.testing.recording import RecordingDriver

__all__ = ["RecordingDriver"]

"""Moved to :mod:`coodie.mapping`; these names stay importable from here."""

from coodie.mapping import Mapper, Operation, UpdatePlan, Write

__all__ = ["Mapper", "Operation", "UpdatePlan", "Write"]

"""Mapping one model onto one driver, in parts (no I/O anywhere here).

* :mod:`~coodie.mapping.values`: per-column codecs, key and row values;
* :mod:`~coodie.mapping.readers`: generated hydrators and row readers;
* :mod:`~coodie.mapping.shapes`: statement shapes, the CQL text cache and its renderers;
* :mod:`~coodie.mapping.writes` / :mod:`~coodie.mapping.updates` /
  :mod:`~coodie.mapping.update_plans` / :mod:`~coodie.mapping.conditions`: write statements,
  their :class:`Write` outcome, update plans and LWT conditions;
* :mod:`~coodie.mapping.reads`: SELECT / COUNT / get statements and results (the pager's);
* :mod:`~coodie.mapping.tables`: ``sync_table()`` and drops, with
  :mod:`~coodie.mapping.schema_drift`: how a live table differs from its model;
* :mod:`~coodie.mapping.mapper`: :class:`Mapper`, one of each per (model, driver).
"""

from coodie.mapping.mapper import Mapper
from coodie.mapping.tables import Operation
from coodie.mapping.update_plans import UpdatePlan
from coodie.mapping.writes import Write

__all__ = ["Mapper", "Operation", "UpdatePlan", "Write"]

"""CQL text generation. Pure functions of a schema and a statement shape: no I/O, no values.

Every value a statement needs (including TTL, timestamp and limits) is a ``?`` bind marker,
so the text depends only on the shape and can be built once and cached.
"""

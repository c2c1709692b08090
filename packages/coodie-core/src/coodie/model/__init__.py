"""Model definition: Python annotations to CQL types, identifiers, and a model's table schema.

The bottom layer: it imports nothing of coodie but ``coodie.fields`` and ``coodie.exceptions``.
"""

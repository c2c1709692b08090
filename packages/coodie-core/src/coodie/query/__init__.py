"""Query state and its validation: what a QuerySet has been asked for, checked against the
schema (keys, indexes, ALLOW FILTERING, ORDER BY, TTL/timestamp) before any CQL exists."""

"""Reads of the dashboards: snapshots and prefetched rows, in a number of queries that does not grow
with the organization (`health`, `strategy`, `detail`)."""

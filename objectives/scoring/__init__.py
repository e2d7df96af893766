"""The scoring engine of SCORING.md: fetch (set-based queries) → calculate (pure) → store (one snapshot).

`services.scores_recompute` is the entry point; `selectors` reads the stored snapshots.
"""

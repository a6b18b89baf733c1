"""The collector pause the analysis shares with the analytic view (govgraph/gc_pause.py)."""

from govgraph.gc_pause import collector_paused

__all__ = ["collector_paused"]

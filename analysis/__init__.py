"""Analysis layer: Subgraph -> networkx -> coordination-gap findings and network metrics.

Pure functions over the read contract (graph_schema.model.Subgraph); no I/O, no server.
"""

from .gaps import find_gaps
from .metrics import brokerage_roles, network_metrics
from .model import (
    ActorMetrics,
    ActorRef,
    BrokerageCounts,
    Finding,
    GapFilters,
    GapKind,
    NetworkMetrics,
    PolicyRef,
    ThemeArticulation,
    finding_id,
)
from .network import build_graph, tie_graph

__all__ = [
    "ActorMetrics",
    "ActorRef",
    "BrokerageCounts",
    "Finding",
    "GapFilters",
    "GapKind",
    "NetworkMetrics",
    "PolicyRef",
    "ThemeArticulation",
    "brokerage_roles",
    "build_graph",
    "find_gaps",
    "finding_id",
    "network_metrics",
    "tie_graph",
]

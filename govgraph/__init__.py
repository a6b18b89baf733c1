"""govgraph: a knowledge graph of who does what, with whom, on urban safety governance.

The importable layers mirror the data flow (see README "Architecture"):
``ingest`` -> ``nlp`` -> ``graph_schema`` -> ``analysis`` -> ``service``.
This package holds only what every layer shares: settings and the error tree.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]

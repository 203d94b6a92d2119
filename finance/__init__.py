"""finance: what each SKU really earns.

The pipeline, one module a step:
bytes (``read``) -> table -> canonical rows (``normalise``) -> store (``store``, ``ingest``)
-> allocated parts (``allocate``) -> margins (``margin``) -> reports (``report``, ``export``).
"""

__version__ = "0.1.0"

"""Bytes to a table of text cells: encodings, preamble and footer, CSV and XLSX.

``open_source`` reads a file once (decoding its text, or loading its sheets); ``find_header``
looks for a rule's header line; ``read_table`` returns the data rows below it as a polars frame
of cleaned strings with ``__row``, the 1-based line (or sheet row) each came from.
"""

from finance.read.source import Source, find_header, open_source, read_table

__all__ = ["Source", "find_header", "open_source", "read_table"]

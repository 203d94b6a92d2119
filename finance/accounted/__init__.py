"""Every cent of a statement accounted for (issue 15).

A money cell of an accepted file ends up in exactly one canonical row, or its row is skipped by a
rule that says why (and the import says so); the rows add up to the totals the file states about
itself, or the file is rejected naming both figures. One module per concern:

- ``notes``: amounts written with a note (``131.77(已退款89.84)``), read as the number
- ``skip``: rows that are not money (``[[skip]]``, ``[direction] neutral``), kept for the report
- ``amount_lines``: ``[[amounts]]``, each amount cell of a wide row its own row
- ``cells``: which cell each canonical row's money came from, at the file's precision
- ``conservation``: no money cell of a kept row is left out
- ``totals``: ``[[totals]]``, the file's own totals and running balance
- ``sheets``: every sheet of a workbook read by a rule, or declared as carrying no money
"""

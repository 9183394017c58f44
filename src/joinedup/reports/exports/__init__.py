"""Exports of a result for analysts: the Excel workbook, tidy CSV and GraphML.

    writers.py    to_xlsx, to_csv, to_csv_zip, to_graphml, network_graph
    tables.py     what each sheet or CSV file holds (one Table per file);
                  formula neutralising
    workbook.py   how the workbook is laid out: summary, sheets, About

Callers use this package (`exports.to_xlsx(...)`); the modules are how it is
split, not separate entry points.
"""

from .writers import *  # noqa: F403  (the writers' __all__ is the public list)
from .writers import __all__ as __all__

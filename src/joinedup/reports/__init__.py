"""Reports people act on: charts of a result, drawn on the server as SVG.

Pure Python (no Django): each chart is built from a `joinedup.analysis/1`
result and carries a title, a plain-English description, an accessible
inline SVG and a table of its figures, so the same `Chart` serves the web
page, the printed (PDF) report and a screen reader alike.

    charts/            every SVG chart (position map, alignment, profile, heatmap,
                       network map, perception gaps, path, ledger) and the
                       Chart/Table they share
    exports/           the XLSX, CSV and GraphML writers and what each file holds
    report.py          the HTML report and the PDF (templates/: template and CSS)
    reading.py         reading a result defensively; one disclosure rule
    outputs.py         writing outputs for the command line, atomically
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .charts import (
        Chart,
        Table,
        alignment_diagram,
        all_charts,
        figure_html,
        network_map,
        perception_gaps,
        position_map,
        scale_profile,
        table_html,
        unit_heatmap,
    )

# The charts' names load on first use (PEP 562), not with the package: the
# PDF helper processes import `reports.pdf_halves` and need neither the
# charts nor the analysis (pandas) behind them, so each starts in half the
# time and holds about a hundred MiB less.
__all__ = [
    "Chart",
    "Table",
    "alignment_diagram",
    "all_charts",
    "figure_html",
    "network_map",
    "perception_gaps",
    "position_map",
    "scale_profile",
    "table_html",
    "unit_heatmap",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module(".charts", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

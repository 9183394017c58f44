"""Reports people act on: charts of a result, drawn on the server as SVG.

Pure Python (no Django): each chart is built from a `joinedup.analysis/1`
result and carries a title, a plain-English description, an accessible
inline SVG and a table of its figures, so the same `Chart` serves the web
page, the printed (PDF) report and a screen reader alike.

    charts.py          the charts themselves, and all_charts()
    figures.py         Chart and Table; rounding for display; the HTML figure
    reading.py         reading a result defensively; the "no figures" chart
    scatter.py         the zoned scatter behind the position and alignment maps
    profiles.py        scale profile and unit heatmap
    gaps.py            perception gaps
    network_chart.py   the network map; network_layout.py places organisations
    labels.py          point labels without overlaps
    palette.py         colour-blind-safe colours and contrast
    svg.py             escaping, numbers and elements for hand-written SVG
"""

from .charts import (
    alignment_diagram,
    all_charts,
    network_map,
    perception_gaps,
    position_map,
    scale_profile,
    unit_heatmap,
)
from .figures import Chart, Table, figure_html, table_html

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

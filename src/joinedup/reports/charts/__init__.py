"""Every chart of a result, drawn on the server as SVG.

Each chart is a `Chart`: a title, a plain-English description, an accessible
SVG and a table of its figures.

    positions.py        position map, alignment diagram, all_charts()
    scatter.py          the zoned scatter behind both maps; labels.py places
                        point labels without overlaps
    profiles.py         scale profile and unit heatmap
    gaps.py             perception gaps
    network.py          the network map; network_layout.py places organisations
    path.py             the partnership's path across rounds
    ledger.py           commitments pledged against delivered
    figures.py          Chart and Table; rounding for display; the HTML figure
    palette.py          colour-blind-safe colours and contrast
    svg.py              escaping, numbers and elements for hand-written SVG
"""

from .figures import Chart, Table, figure_html, table_html
from .positions import (
    alignment_diagram,
    all_charts,
    network_map,
    perception_gaps,
    position_map,
    scale_profile,
    unit_heatmap,
)

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

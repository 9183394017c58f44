"""Everything the toolkit takes from `joinedup.reports`, in one place.

`reports/*.py` modules are moving into `reports/charts/` and
`reports/exports/`; when they do, only these imports change.
"""

from __future__ import annotations

from joinedup.reports.charts import position_map
from joinedup.reports.reading import network

__all__ = ["network", "position_map"]

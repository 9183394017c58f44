"""Reading an uploaded file within the limits set in the web settings.

Both import pages (responses into a round, a partnership's organisations)
read their files here, so an upload is checked against the same limits,
before it is parsed, whichever page it came through.
"""

from __future__ import annotations

from django.conf import settings

from joinedup.analysis.limits import UPLOAD_LIMITS, ReadLimits
from joinedup.analysis.tables import RawTable, read_upload


def upload_limits() -> ReadLimits:
    """The read limits for uploads, from the settings (defaults in `analysis.limits`)."""
    return UPLOAD_LIMITS.with_changes(
        max_bytes=settings.MAX_UPLOAD_BYTES,
        max_uncompressed_bytes=settings.UPLOAD_MAX_UNCOMPRESSED_BYTES,
        max_rows=settings.UPLOAD_MAX_ROWS,
        max_columns=settings.UPLOAD_MAX_COLUMNS,
        max_cells=settings.UPLOAD_MAX_CELLS,
    )


def read_uploaded_table(filename: str, content: bytes, sheet: str) -> RawTable:
    """An uploaded CSV file or workbook sheet as a table, or a table holding the refusal."""
    return read_upload(filename, content, sheet, upload_limits())

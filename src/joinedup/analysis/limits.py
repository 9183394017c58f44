"""How large a file Joined Up will read, in one place.

Every file is checked against these limits before it is parsed, so a hostile
or mistaken file (a zip bomb, a sheet with a value in its millionth row, a
CSV of one enormous line) is refused from its size and its zip directory,
or from a quick streamed count, and never materialised.

Two sets, chosen from the product's scale:

- **The command line** (`joinedup analyse`) must take a national round: some
  100,000 respondents and 1,000,000 ratings. Its limits leave room for twice
  that: 2,000,000 rows per file, 500 columns, 50 million cells, 1 GB files and
  2 GB of workbook XML.
- **Web uploads** (importing responses into a round, importing
  organisations) serve one partnership: tens of organisations and a few
  thousand respondents, so a few hundred thousand ratings at most. They take
  200,000 rows per file, 500 columns, 5 million cells (100,000 responses of
  the instrument's ~45 columns fit), the upload size of the `MAX_UPLOAD_BYTES`
  setting (50 MB) and 500 MB of workbook XML. Each is a web setting
  (`UPLOAD_MAX_ROWS`, ...), read by `joinedup.site.uploads`.

Both share what no real workbook breaks: at most 1,000 parts in the zip, no
part compressed more than 100 to 1 (Apache POI's default, which real
workbooks stay well inside), parts other than sheets and shared text at
most 4 MB each (they hold styles and settings, and are parsed whole), and CSV
lines of at most 1 MB (a row of answers is a few kilobytes).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """The largest file of each kind that will be read; see the module docstring."""

    max_bytes: int
    max_uncompressed_bytes: int
    max_rows: int  # rows below the header
    max_columns: int
    max_cells: int  # rows times columns of the table that would be built
    max_members: int = 1000
    max_compression_ratio: int = 100
    max_settings_part_bytes: int = 4 * MB
    # A CSV line (and so a header) longer than this is not a row of answers.
    max_line_bytes: int = MB
    # Added to every refusal: what to do instead.
    advice: str = ""

    def with_changes(self, **changes: int | str) -> ReadLimits:
        return replace(self, **changes)  # type: ignore[arg-type]


COMMAND_LINE_LIMITS = ReadLimits(
    max_bytes=1024 * MB,
    max_uncompressed_bytes=2048 * MB,
    max_rows=2_000_000,
    max_columns=500,
    max_cells=50_000_000,
    advice="the limits, and why, are in joinedup.analysis.limits",
)

UPLOAD_LIMITS = ReadLimits(
    max_bytes=50 * MB,
    max_uncompressed_bytes=500 * MB,
    max_rows=200_000,
    max_columns=500,
    max_cells=5_000_000,
    advice="for larger files, use the command line (joinedup analyse)",
)


def describe_bytes(count: int) -> str:
    """A size in plain words: "63 MB", "740 KB", "12 bytes"."""
    if count >= MB:
        return f"{count / MB:,.0f} MB"
    if count >= 1024:
        return f"{count / 1024:,.0f} KB"
    return f"{count:,} bytes"

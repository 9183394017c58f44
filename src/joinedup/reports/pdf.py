"""The report as an accessible PDF: PDF/UA-1, tagged, from the report's HTML.

WeasyPrint lays out the same HTML a browser shows. The PDF is PDF/UA-1
(`pdf_variant="pdf/ua-1"`), so it is tagged: headings, lists, tables (with
their header cells) and figures are in its structure tree, and its title and
language come from the HTML's <title> and lang. Each chart is an <img> of
its own SVG whose alt text is the chart's full description, so a screen
reader hears what the chart shows, and its table follows it.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from . import typeface

INLINE_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
SVG_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S)
SVG_DESCRIPTION = re.compile(r"<desc[^>]*>(.*?)</desc>", re.S)


def chart_as_image(match: re.Match[str]) -> str:
    """An inline chart as an <img> of the same SVG, its description as alt text.

    WeasyPrint gives every inline SVG element a pass through the CSS
    cascade; as an image the chart is drawn directly, which halves the time
    to lay out a large partnership's report. The SVG's <desc> is already
    escaped for XML, so it is safe inside a double-quoted attribute.
    """
    svg = match.group(0)
    description = SVG_DESCRIPTION.search(svg) or SVG_TITLE.search(svg)
    alt = " ".join(description.group(1).split()) if description else "Chart"
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="chart-image" alt="{alt}" src="data:image/svg+xml;base64,{data}">'


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF/UA-1 document of the report's HTML, charts drawn as images."""
    from weasyprint import HTML

    printable = INLINE_SVG.sub(chart_as_image, html)
    # The same typeface from TrueType files: quicker for WeasyPrint than WOFF2.
    printable = printable.replace(typeface.font_faces(), typeface.print_font_faces(), 1)
    document = HTML(string=printable, base_url=str(Path(__file__).parent)).render()
    # Embedding whole fonts is faster than subsetting them; the embedded
    # typeface is split into small Latin subsets, so the cost is a few kB.
    return bytes(document.write_pdf(full_fonts=True, pdf_variant="pdf/ua-1"))

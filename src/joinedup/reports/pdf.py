"""The report as an accessible PDF: PDF/UA-1, tagged, from the report's HTML.

WeasyPrint lays out the same HTML a browser shows. The PDF is PDF/UA-1
(`pdf_variant="pdf/ua-1"`), so it is tagged: headings, lists, tables (with
their header cells) and figures are in its structure tree, and its title and
language come from the HTML's <title> and lang. Each chart is an <img> of
its own SVG whose alt text is the chart's full description, so a screen
reader hears what the chart shows, and its table follows it.
"""

from __future__ import annotations

import atexit
import base64
import gc
import re
import shutil
import threading
import weakref
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from html import unescape
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from . import chart_parsing, chart_text, kept_layouts, typeface

if TYPE_CHECKING:
    import pydyf
    from weasyprint import CSS, HTML
    from weasyprint.document import Document
    from weasyprint.text.fonts import FontConfiguration

BASE_URL = str(Path(__file__).parent)

INLINE_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
SVG_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S)
SVG_DESCRIPTION = re.compile(r"<desc[^>]*>(.*?)</desc>", re.S)
# Tooltips and descriptions inside a chart: the picture in the PDF is one
# figure whose alt text is the chart's description, and a reader of the PDF
# has no pointer to hover with, so they only cost drawing time.
SVG_TEXT_ALTERNATIVES = re.compile(r"<(title|desc)\b[^>]*>.*?</\1>", re.S)

# WeasyPrint draws a label anchored at its middle or end (`text-anchor`) into
# a group of its own (a PDF form with a transparency group) to shift it once
# measured; a chart has hundreds. Where the report's typeface is in the
# document, the PDF's copy of a chart measures such a label itself, with
# the typeface's advances, as WeasyPrint does (a label is drawn letter by
# letter, so without kerning), and starts it that much to the left instead.
# Labels set otherwise (italic, spaced, or with characters the bundled
# typeface lacks, or in charts whose groups set type) keep their anchor.
ANCHORED_TEXT = re.compile(r'<text\b([^>]*?) text-anchor="(middle|end)"([^>]*)>([^<]*)</text>')
ATTRIBUTE = re.compile(r'\s([\w:-]+)="([^"]*)"')
X_ATTRIBUTE = re.compile(r'(\sx=")[^"]*"')
ROOT_FAMILY = re.compile(r'<svg\b[^>]*?\sfont-family="([^"]*)"')
TYPE_SET_BY_GROUP = re.compile(
    r"<(?:svg|g)\b[^>]*\s(?:(?:font-weight|font-style|font-variant|font-stretch|"
    r'letter-spacing|word-spacing|direction)="|style="[^"]*(?:font|spacing|direction))'
)
UNMEASURED = {
    "font-style",
    "font-variant",
    "font-stretch",
    "style",
    "letter-spacing",
    "word-spacing",
    "textLength",
    "lengthAdjust",
    "dx",
    "rotate",
    "direction",
}
# Groups without attributes: around a cell and its tooltip, say. Each costs
# WeasyPrint a saved and restored graphics state, and draws the same without.
GROUP_TAG = re.compile(r"<g\b[^>]*>|</g>")


def first_family(families: str) -> str:
    """The first font family of a `font-family` list, unquoted."""
    return families.split(",")[0].strip().strip("'\"")


def started_text(match: re.Match[str], family: str) -> str:
    """An anchored `<text>` moved to start where its anchor puts its first letter.

    `family` is the chart's font family; the text is left as it is unless it
    is set in the bundled typeface, upright, and measurable.
    """
    before, anchor, after, content = match.groups()
    attributes = dict(ATTRIBUTE.findall(before + after))
    if first_family(attributes.get("font-family", family)) != typeface.FAMILY:
        return match.group(0)
    if UNMEASURED & attributes.keys():
        return match.group(0)
    weight = {"bold": 700, "700": 700, "normal": 400, "400": 400}.get(
        attributes.get("font-weight", "normal")
    )
    widths = typeface.advance_widths(weight) if weight else {}
    text = unescape(content)
    try:
        x = float(attributes["x"])
        size = float(attributes["font-size"])
    except (KeyError, ValueError):
        return match.group(0)
    if not text or any(ord(character) not in widths for character in text):
        return match.group(0)
    width = sum(widths[ord(character)] for character in text) * size
    start = x - (width / 2 if anchor == "middle" else width)
    moved = X_ATTRIBUTE.sub(lambda m: f'{m.group(1)}{start:.3f}"', before + after, count=1)
    return f"<text{moved}>{content}</text>"


def started_labels(svg: str) -> str:
    """The chart with its anchored labels measured and started (`started_text`)."""
    root = ROOT_FAMILY.search(svg)
    if TYPE_SET_BY_GROUP.search(svg):
        return svg
    family = root.group(1) if root else ""
    return ANCHORED_TEXT.sub(lambda match: started_text(match, family), svg)


def unwrapped_groups(svg: str) -> str:
    """The SVG without its `<g>` elements that have no attributes (their children kept)."""
    kept: list[bool] = []

    def tag(match: re.Match[str]) -> str:
        if match.group(0) == "</g>":
            return "</g>" if kept.pop() else ""
        keep = match.group(0) != "<g>"
        kept.append(keep)
        return match.group(0) if keep else ""

    return GROUP_TAG.sub(tag, svg)


def chart_as_image(match: re.Match[str], measured: bool = False) -> str:
    """An inline chart as an <img> of the same SVG, its description as alt text.

    WeasyPrint gives every inline SVG element a pass through the CSS
    cascade; as an image the chart is drawn directly, which halves the time
    to lay out a large partnership's report. The SVG's <desc> is already
    escaped for XML, so it is safe inside a double-quoted attribute; its
    <title> and <desc> elements are then left out of the picture, and so are
    groups that do nothing. With `measured` (the document has the report's
    typeface), labels anchored at their middle or end are started instead.
    """
    svg = match.group(0)
    description = SVG_DESCRIPTION.search(svg) or SVG_TITLE.search(svg)
    alt = " ".join(description.group(1).split()) if description else "Chart"
    svg = unwrapped_groups(SVG_TEXT_ALTERNATIVES.sub("", svg))
    if measured:
        svg = started_labels(svg)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="chart-image" alt="{alt}" src="data:image/svg+xml;base64,{data}">'


# Tables are laid out from column widths given up front (`table-layout:
# fixed`), not by measuring every cell's shortest and longest line first:
# WeasyPrint's automatic table layout was about a third of a 40-organisation
# report's time. The widths come from `column_widths`; long words still wrap.
# The flexible boxes become blocks, floats and inline boxes that put
# everything where WeasyPrint's flexible layout did (measured: it spaces
# some items by twice their gap, and takes one gap off a lone item in a
# row), as WeasyPrint lays a flexible box's contents out more than once.
# These rules are a user stylesheet, which loses to the report's own
# (author) rules unless marked important, hence `!important`.
# - Page 1's facts: "name: value" pairs in a row, 38px apart, on a line as
#   tall as the values' (9.5pt).
# - Page 1's key figures: a 58mm column, 5mm apart, the map beside it from
#   63mm, 5mm short of the right edge.
# - The written answers: columns at least 260px wide in a 680px line, 24px
#   apart, so two to a row, each half the width less half the gap, and a
#   last odd one the whole width less a gap.
PRINT_ONLY = """
@media print {
  table { table-layout: fixed !important; }
  th, td, caption { overflow-wrap: break-word !important; }
  .cover__facts { display: block !important; }
  .cover__facts::after, .columns::after { content: "" !important; display: block !important;
    clear: both !important; }
  .cover__facts div { display: block !important; float: left !important;
    font-size: 9.5pt !important; }
  .cover__facts div + div { margin-left: 38px !important; }
  .cover__facts dt, .cover__facts dd { display: inline !important; }
  .cover__facts dd { margin-left: 4px !important; }
  .standing { display: flow-root !important; }
  .standing .key-figures { display: block !important; float: left !important;
    width: 58mm !important; }
  .standing .key-figure + .key-figure { margin-top: 5mm !important; }
  .standing .summary-map { display: block !important; margin: 0 5mm 0 63mm !important; }
  .columns { display: block !important; }
  .column { float: left !important; width: calc(50% - 12px) !important; }
  .column:nth-child(2n) { float: right !important; }
  .column:nth-child(2n+1) { clear: both !important; }
  .column:nth-child(n+3) { margin-top: 24px !important; }
  .column:nth-child(2n+1):last-child { width: calc(100% - 24px) !important; }
}
"""

TABLE = re.compile(r"(<table\b[^>]*>)(.*?)(</table>)", re.S)
CAPTION_END = re.compile(r"</caption>")
ROW = re.compile(r"<tr\b.*?</tr>", re.S)
CELL = re.compile(r"<t([hd])\b[^>]*>(.*?)</t[hd]>", re.S)
TAG = re.compile(r"<[^>]+>")
ENTITY = re.compile(r"&[#\w]+;")

WORD_BREAK = re.compile(r"\s+|(?<=-)")
# Widths in ems of the tables' type (8.5pt): a table is the width of A4 less
# its margins (180mm, 60 ems) and a cell's padding is 6pt. Where the typeface
# is not built, a character is taken as half an em.
LINE_EMS = 60.0
PADDING_EMS = 0.75
AVERAGE_EMS = 0.5
# Row names (organisations) keep up to this share of the width before long
# headers of figures take it: a name over three lines makes a table longer.
NAMES = 0.28


def text_ems(text: str, weight: int) -> float:
    """How wide a line of text is in ems, in the report's typeface."""
    widths = typeface.advance_widths(weight)
    return sum(widths.get(ord(character), AVERAGE_EMS) for character in text)


def column_widths(table: str) -> list[float]:
    """Each column's share of a table's width (they add up to 1), from the text in it.

    A cheap stand-in for CSS automatic table layout: a column wants the width
    of its longest cell on one line and needs at least its longest word. If
    every column fits on one line they get what they want, in proportion;
    otherwise each gets its longest word and the space left is shared in
    proportion to how much more each wants (CSS 2.1, 17.5.2.2). The first
    column, the row names, is given up to 28% of the width before that.
    Text is measured with the typeface's own widths (headers in bold).
    """
    longest: list[float] = []
    least: list[float] = []
    for row in ROW.findall(table):
        for column, (kind, content) in enumerate(CELL.findall(row)):
            text = " ".join(ENTITY.sub("x", TAG.sub("", content)).split())
            weight = 700 if kind == "h" else 400
            whole = text_ems(text, weight) + PADDING_EMS
            word = max((text_ems(w, weight) for w in WORD_BREAK.split(text)), default=0.0)
            if column == len(longest):
                longest.append(0.0)
                least.append(0.0)
            longest[column] = max(longest[column], whole)
            least[column] = max(least[column], word + PADDING_EMS)
    if not longest:
        return []
    room = LINE_EMS
    least[0] = max(least[0], min(longest[0], NAMES * room))
    if sum(longest) <= room:
        widths = longest
    elif sum(least) >= room:
        # Not even the longest words fit: the names keep their share, and the
        # longest words of the other columns break, not the short ones.
        widths = [least[0], *capped(least[1:], max(room - least[0], 0.0))]
    else:
        share = (room - sum(least)) / (sum(longest) - sum(least))
        widths = [low + (high - low) * share for low, high in zip(least, longest, strict=True)]
    total = sum(widths)
    return [width / total for width in widths]


def capped(wants: list[float], room: float) -> list[float]:
    """Each width as wanted, the largest cut down to one cap so that they fit in `room`."""
    if sum(wants) <= room or not wants:
        return wants
    left = room
    ordered = sorted(wants)
    cap = 0.0
    for index, want in enumerate(ordered):
        others = len(ordered) - index
        if want * others > left:
            cap = left / others
            break
        left -= want
    return [min(want, cap) for want in wants]


def fixed_widths(html: str) -> str:
    """Each table given its columns' widths (`<colgroup>`), for `table-layout: fixed`."""

    def columns(match: re.Match[str]) -> str:
        start, body, end = match.groups()
        shares = column_widths(body)
        colgroup = (
            "<colgroup>"
            + "".join(f'<col style="width:{share * 100:.2f}%">' for share in shares)
            + "</colgroup>"
        )
        if CAPTION_END.search(body):
            body = CAPTION_END.sub(lambda _: "</caption>" + colgroup, body, count=1)
        else:
            body = colgroup + body
        return start + body + end

    return TABLE.sub(columns, html)


@cache
def print_stylesheet() -> CSS:
    """The PDF's own additions to the report's stylesheet, parsed once per process."""
    from weasyprint import CSS

    return CSS(string=PRINT_ONLY)


# The report's stylesheet (its typeface's @font-face rules and report.css) is
# the same for every report: each thread parses it once, with the fonts it
# loads, instead of once per PDF. A thread's own, as WeasyPrint's font
# configuration (fontconfig and Pango) is not shared between threads.
STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_printing = threading.local()
# Every kept font configuration, to clean up at exit (see `_forget_kept_fonts`).
_kept_fonts: weakref.WeakSet[FontConfiguration] = weakref.WeakSet()


@atexit.register
def _forget_kept_fonts() -> None:
    """Remove the kept font configurations' temporary files while the interpreter still can.

    WeasyPrint removes a configuration's folder of font files when the
    configuration is deleted; one kept by a thread until the process ends
    would be deleted too late (its cleanup failing, "Exception ignored in
    FontConfiguration.__del__", and the folder left behind).
    """
    for fonts in list(_kept_fonts):
        folder = getattr(fonts, "_folder", None)
        if folder:
            fonts._folder = None
            shutil.rmtree(folder, ignore_errors=True)


def report_stylesheet(css: str) -> tuple[CSS, FontConfiguration]:
    """The report's stylesheet parsed, and the font configuration holding its fonts."""
    kept = getattr(_printing, "stylesheet", None)
    if kept is None or kept[0] != css:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        _kept_fonts.add(fonts)
        kept = (css, CSS(string=css, base_url=BASE_URL, font_config=fonts), fonts)
        _printing.stylesheet = kept
    return kept[1], kept[2]


# pydyf compresses every stream at zlib's level 9. At zlib's own default
# level a 40-organisation report's streams take a third of the time (0.04 s
# against 0.14 s) for 2% more bytes, so the PDF's writer is given a zlib that
# keeps to the default level.
_DEFAULT_LEVEL_ZLIB = SimpleNamespace(
    compress=lambda data, level=zlib.Z_DEFAULT_COMPRESSION: zlib.compress(data),
    compressobj=lambda level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs: zlib.compressobj(
        zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs
    ),
)


def deflate_at_default_level() -> None:
    """Have pydyf (WeasyPrint's PDF writer) compress at zlib's default level."""
    import pydyf

    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _DEFAULT_LEVEL_ZLIB


@contextmanager
def collected_once() -> Iterator[None]:
    """Python's cyclic garbage collector paused for a render, then run once over its objects.

    A 40-organisation report makes about 260,000 objects in reference cycles
    (boxes, styles, PDF objects) while the heap grows: the collector's full
    passes over everything cost a sixth of the time, where one pass over the
    render's own objects at the end (the youngest generation, where they all
    are with collection paused) costs a fraction of that. Memory at its
    highest is the same, as the document itself lives until the end. If the
    collector was already paused, it is left so.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(0)


def printable_html(html: str) -> str:
    """The report's HTML as WeasyPrint prints it: charts as images, tables with column widths.

    The HTML's typeface is swapped for the same faces from TrueType files
    (quicker for WeasyPrint than WOFF2) and chart labels are measured where
    that typeface is present (`chart_as_image`).
    """
    faces = typeface.font_faces()
    measured = bool(faces) and faces in html
    printable = html.replace(faces, typeface.print_font_faces(), 1) if measured else html
    printable = INLINE_SVG.sub(lambda chart: chart_as_image(chart, measured), printable)
    return fixed_widths(printable)


# The report's HTML is read by the C XML parser (expat), not WeasyPrint's
# HTML parser (pure Python, a tenth of a large report's time), where that
# gives the very tree an HTML parser would: the report is well-formed once
# its void elements are closed, and `parses_as_html` turns away anything
# HTML parsing would rearrange (a block inside a paragraph, a row outside a
# table section, a list item straight inside another) or treat apart
# (forms, scripts, inline SVG). Otherwise WeasyPrint parses it as before.
VOID_ELEMENT = re.compile(
    r"<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b"
    r"((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)\s*/?>"
)
HEAD_ELEMENTS = {"title", "meta", "link", "base", "style"}
TABLE_CHILDREN = {
    "table": {"caption", "colgroup", "thead", "tbody", "tfoot"},
    "thead": {"tr"},
    "tbody": {"tr"},
    "tfoot": {"tr"},
    "tr": {"td", "th"},
    "colgroup": {"col"},
}
# Elements that close an open paragraph when they start (HTML's "close a p element").
CLOSES_PARAGRAPH = {
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir",
    "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre",
    "search", "section", "summary", "table", "ul", "li", "dd", "dt", "listing", "plaintext",
    "xmp",
}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
PARSED_APART = {
    "pre", "textarea", "listing", "plaintext", "xmp", "form", "button", "select", "option",
    "optgroup", "datalist", "nobr", "template", "noscript", "script", "style", "svg", "math",
    "frameset", "frame", "iframe", "object", "embed", "applet", "marquee", "image", "isindex",
    "ruby", "rb", "rt", "rp", "rtc", "html", "head", "body", "keygen", "param", "noembed",
    "noframes", "title", "area", "map",
}  # fmt: skip
# Table parts are only kept as such where they belong.
PARENT_NEEDED = {
    "caption": {"table"},
    "colgroup": {"table"},
    "col": {"colgroup"},
    "thead": {"table"},
    "tbody": {"table"},
    "tfoot": {"table"},
    "tr": {"thead", "tbody", "tfoot"},
    "td": {"tr"},
    "th": {"tr"},
}


def parses_as_html(root: ET.Element) -> bool:
    """Whether an HTML parser would build this tree from the same markup (see above)."""
    if root.tag != "html" or [child.tag for child in root] != ["head", "body"]:
        return False
    head, body = root
    if (head.text or "").strip() or any(
        child.tag not in HEAD_ELEMENTS or (child.tail or "").strip() for child in head
    ):
        return False
    ancestors: list[str] = []

    def fits(element: ET.Element) -> bool:
        tag = element.tag
        if not isinstance(tag, str):  # a comment or processing instruction
            return False
        parent = ancestors[-1] if ancestors else "body"
        if tag in PARSED_APART or parent not in PARENT_NEEDED.get(tag, {parent}):
            return False
        if tag in CLOSES_PARAGRAPH and "p" in ancestors:
            return False
        if tag in HEADINGS and parent in HEADINGS:
            return False
        if tag == "a" and "a" in ancestors:
            return False
        if tag == "li" and _nearest(ancestors, {"li", "ul", "ol", "menu"}) == "li":
            return False
        if tag in {"dd", "dt"} and _nearest(ancestors, {"dd", "dt", "dl"}) in {"dd", "dt"}:
            return False
        allowed = TABLE_CHILDREN.get(tag)
        if allowed is not None and (
            (element.text or "").strip()
            or any(child.tag not in allowed or (child.tail or "").strip() for child in element)
        ):
            return False
        ancestors.append(tag)
        try:
            return all(fits(child) for child in element)
        finally:
            ancestors.pop()

    return all(fits(child) for child in body)


def _nearest(ancestors: list[str], tags: set[str]) -> str | None:
    return next((tag for tag in reversed(ancestors) if tag in tags), None)


def html_tree(printable: str) -> ET.Element | None:
    """The report's HTML read as XML, as an HTML parser would give it; None where it cannot be."""
    try:
        # Comments are kept, to be turned away: an HTML parser keeps them too.
        parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True, insert_pis=True))
        parser.feed(VOID_ELEMENT.sub(r"<\1\2/>", printable))
        root = parser.close()
    except ET.ParseError:
        return None
    if not parses_as_html(root):
        return None
    # Where an HTML parser puts white space the XML parser keeps elsewhere:
    # none before <head>, and what follows </body> at the end of the body.
    root.text = None
    body = root[1]
    after = (body.tail or "") + (root.tail or "")
    body.tail = root.tail = None
    if after:
        if len(body):
            body[-1].tail = (body[-1].tail or "") + after
        else:
            body.text = (body.text or "") + after
    return root


def html_document(printable: str) -> HTML:
    """WeasyPrint's document of the report's HTML, from `html_tree` where it can be."""
    import cssselect2
    import weasyprint
    from weasyprint import HTML

    tree = html_tree(printable) if weasyprint.__version__.startswith("70.") else None
    if tree is None:
        return HTML(string=printable, base_url=BASE_URL)
    document = HTML(string="<html></html>", base_url=BASE_URL)
    document.base_url = weasyprint._find_base_url(tree, document.base_url)
    document.wrapper_element = cssselect2.ElementWrapper.from_html_root(tree, content_language=None)
    document.etree_element = document.wrapper_element.etree_element
    return document


def quicken_weasyprint() -> None:
    """WeasyPrint set up as the report prints with it, once per process.

    Chart labels drawn one layout each, not letter by letter (chart_text);
    chart attribute values parsed once each (chart_parsing); text shaped
    once, its layout kept from layout to drawing (kept_layouts); streams
    compressed at zlib's default level (`deflate_at_default_level`).
    """
    chart_text.install()
    chart_parsing.install()
    kept_layouts.install()
    deflate_at_default_level()


def print_printable(
    printable: str,
    laid_out: Callable[[Document], None] | None = None,
    finisher: Callable[[Document, pydyf.PDF], None] | None = None,
) -> bytes:
    """A tagged PDF/UA-1 document of HTML from `printable_html`.

    The HTML's <style> is applied as a user stylesheet, parsed once
    (`report_stylesheet`): with no author stylesheet left, its rules win
    over the browser's defaults and lose to `style` attributes as before.
    `laid_out` sees the document once its pages are laid out, before they
    are drawn; `finisher` is WeasyPrint's, given the PDF's objects before
    they are written.
    """
    quicken_weasyprint()
    stylesheets = [print_stylesheet()]
    fonts = None
    if style := STYLE.search(printable):
        report, fonts = report_stylesheet(style.group(1))
        stylesheets.insert(0, report)
        printable = printable[: style.start()] + printable[style.end() :]
    with collected_once():
        document = html_document(printable).render(stylesheets=stylesheets, font_config=fonts)
        if laid_out is not None:
            laid_out(document)
        # Embedding whole fonts is faster than subsetting them; the embedded
        # typeface is split into small Latin subsets, so the cost is a few kB.
        return bytes(document.write_pdf(full_fonts=True, pdf_variant="pdf/ua-1", finisher=finisher))


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF/UA-1 document of the report's HTML, charts drawn as images.

    A long report is printed in two halves at once, in this process and a
    helper process, and the halves joined (`pdf_halves`); a short one, or
    one that cannot be cut, is printed whole here.
    """
    from . import pdf_halves

    joined = pdf_halves.print_in_halves(html)
    if joined is not None:
        return joined
    return print_printable(printable_html(html))

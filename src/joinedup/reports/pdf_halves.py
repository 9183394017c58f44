"""A long report printed in two halves at once, on two processor cores.

WeasyPrint lays a document out and draws it on one core, so a large
partnership's PDF took longer than a browser printing the same HTML. The
report splits cleanly where a section starts a new page: the pages on each
side of such a break come out the same whether or not the other side is in
the document. So the report is cut at the section break that shares the
work most evenly (`cut`); two kept helper processes print the halves at
once; and this process joins the two tagged PDFs into one
(`pdf_join.join`). The helpers, not this process, print: each frees its
half's objects after sending it, while the halves are joined here, so
that work is not waited for.

What one half cannot know about the other is settled while they print:

- Page numbers. Each half lays out its pages, then tells the other how many
  it has before either makes its footers (`numbered_margin_boxes`), so the
  footers read "Page 14 of 23" as in the whole document.
- The second half's first page is not the document's first, so `@page
  :first` rules are left out of its stylesheet. A stylesheet whose pages
  depend on their side or order in another way (`:left`, `:right`,
  `:blank`, `:nth()`) is not cut.
- A link to an anchor in the other half is given a stand-in anchor, so that
  WeasyPrint keeps it; the join points it at the real one.

If anything goes wrong (a helper cannot start, dies, or fails) the helpers
are stopped and the report is printed whole in this process: the same PDF,
more slowly. A short report is printed whole: two processes gain it little.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import re
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from . import pdf, pdf_join

if TYPE_CHECKING:
    import pydyf
    from weasyprint.document import Document

LOGGER = logging.getLogger(__name__)

MAIN_START = re.compile(r"<main\b[^>]*>")
MAIN_END = "</main>"
BODY_START = re.compile(r"<body\b[^>]*>")
SECTION_TAG = re.compile(r"<section\b([^>]*)>|</section>")
PAGE_CLASS = re.compile(r'\sclass="(?:[^"]*\s)?page(?:\s[^"]*)?"')
FIRST_PAGE_RULE = re.compile(r"@page\s*:first\s*\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")
ORDERED_PAGES = re.compile(r"@page[^{]*:(?:left|right|blank|nth)\b")
INTERNAL_LINK = re.compile(r'\shref="#([^"]+)"')
ELEMENT_ID = re.compile(r'\sid="([^"]+)"')

# The work of printing a stretch of the report, in milliseconds of a quiet
# machine, from what it holds (fitted on a 40-organisation report's
# sections, each printed alone, in session 14): each tag, each kilobyte of
# chart, each word.
MS_A_TAG = 0.25
MS_A_CHART_KB = 1.9
MS_A_WORD = 0.14
CHART_DATA = re.compile(r'src="data:[^"]*"')
INLINE_CHART = re.compile(r"<svg\b.*?</svg>", re.S)
TAG = re.compile(r"<")
WORD = re.compile(r"[^\s<>]+")
# A report whose smaller half would take less than this is printed whole.
LEAST_HALF_MS = 150.0

# How long this process waits for a helper's message, at most, and how
# often it looks whether the helper is still alive meanwhile.
PATIENCE_SECONDS = 600.0
LOOK_EVERY_SECONDS = 0.5


# How much lower the helpers' processor priority is than their parent's.
NICENESS = 10


class HalvesFailed(Exception):
    """The halves could not be printed: print the whole document instead."""


def work_ms(html: str) -> float:
    """About how long a stretch of the report's HTML takes to print (`MS_A_*`).

    A chart counts by its size as the PDF embeds it: base64 data, a third
    longer than the SVG inline in the report.
    """
    embedded = sum(len(match) for match in CHART_DATA.findall(html))
    inline = sum(len(match) for match in INLINE_CHART.findall(html))
    text = INLINE_CHART.sub("", CHART_DATA.sub("", html))
    words = len(WORD.findall(re.sub(r"<[^>]*>", " ", text)))
    charts_kb = (embedded + inline * 4 / 3) / 1000
    return MS_A_TAG * len(TAG.findall(text)) + MS_A_CHART_KB * charts_kb + MS_A_WORD * words


@dataclass(frozen=True)
class Halves:
    """A report's HTML cut in two where a section starts a page."""

    first: str
    second: str


def cut(html: str, least_ms: float = LEAST_HALF_MS) -> Halves | None:
    """The report cut at the page-starting section that shares the work most evenly.

    Candidates are the sections directly inside `<main>` whose class has
    `page` (they start a new page in print). The first half keeps
    everything before the cut and closes `<main>`; the second opens `<body>`
    and `<main>` as the report does and keeps the rest. None if there is no
    candidate, the stylesheet numbers pages by side or order, or the smaller
    half would take under `least_ms`.
    """
    main = MAIN_START.search(html)
    body = BODY_START.search(html)
    end = html.rfind(MAIN_END)
    if main is None or body is None or end < main.end() or body.end() > main.start():
        return None
    style = pdf.STYLE.search(html)
    if style and ORDERED_PAGES.search(style.group(1)):
        return None
    candidates = []
    depth = 0
    for tag in SECTION_TAG.finditer(html, main.end(), end):
        if tag.group(0) == "</section>":
            depth -= 1
            continue
        if depth == 0 and PAGE_CLASS.search(tag.group(1)):
            candidates.append(tag.start())
        depth += 1
    if not candidates:
        return None
    bounds = [main.end(), *candidates, end]
    parts = [work_ms(html[start:stop]) for start, stop in itertools.pairwise(bounds)]
    opening = work_ms(html[body.end() : main.start()])
    total = opening + sum(parts)
    best: tuple[float, int] | None = None
    before = opening
    for index, position in enumerate(candidates):
        before += parts[index]
        larger = max(before, total - before)
        if min(before, total - before) >= least_ms and (best is None or larger < best[0]):
            best = (larger, position)
    if best is None:
        return None
    position = best[1]
    first = html[:position] + html[end:]
    head = html[: body.start()]
    if style:
        head = head.replace(style.group(1), FIRST_PAGE_RULE.sub("", style.group(1)), 1)
    second = head + body.group(0) + main.group(0) + html[position:]
    return Halves(first, second)


@dataclass
class Numbering:
    """Page numbers across two halves, agreed with the other half once this one is paginated.

    `send` and `receive` reach the other half. The first half's pages are
    numbered from 1, the second's from after the first's; both count the
    pages of the whole.
    """

    second: bool
    send: Any
    receive: Any
    offset: int | None = None
    total: int | None = None

    def renumbered(self, state: Any) -> Any:
        """A page's counter state with its page number and the page count of the whole."""
        counters = state[1]
        if self.offset is None:
            own = counters["pages"][0]
            self.send(own)
            other = self.receive()
            self.offset = other if self.second else 0
            self.total = own + other
        fixed = dict(counters)
        fixed["page"] = [counters["page"][0] + self.offset]
        fixed["pages"] = [self.total]
        changed = list(state)
        changed[1] = fixed
        return type(state)(changed)


_numbering = threading.local()
_original_margin_boxes: Any = None


def numbered_margin_boxes(context: Any, page: Any, state: Any) -> Any:
    """WeasyPrint's margin boxes, numbered across the halves while a half is printed."""
    numbering = getattr(_numbering, "current", None)
    if numbering is not None:
        state = numbering.renumbered(state)
    return _original_margin_boxes(context, page, state)


def install() -> bool:
    """Number footers across halves (`numbered_margin_boxes`); False where it cannot.

    WeasyPrint makes the margin boxes of every page once all pages are laid
    out (`weasyprint.layout.layout_document`, 70.x), which is when a half
    knows its page count.
    """
    global _original_margin_boxes
    import weasyprint
    from weasyprint import layout

    if not weasyprint.__version__.startswith("70."):
        return False
    if _original_margin_boxes is None:
        _original_margin_boxes = layout.make_margin_boxes
        layout.make_margin_boxes = numbered_margin_boxes
    return True


@dataclass
class Printed:
    """One half's PDF, and what the join needs to know of it."""

    pdf: bytes
    anchors: list[str] = field(default_factory=list)
    # Per page: its height in CSS pixels and its bookmarks (level, label,
    # (x, y), state) as WeasyPrint gathered them.
    pages: list[tuple[float, list[Any]]] = field(default_factory=list)


def print_half(html: str, numbering: Numbering, second: bool, elsewhere: set[str]) -> Printed:
    """One half printed, its page numbers agreed through `numbering`.

    Links to an anchor in `elsewhere` (held by the other half) get a stand-in
    anchor on the first page; the second half's table header ids are made
    its own (`own_header_ids`).
    """
    printed = Printed(b"")

    def laid_out(document: Document) -> None:
        anchors: set[str] = set()
        for page in document.pages:
            anchors.update(page.anchors)
        printed.anchors = sorted(anchors)
        printed.pages = [(page.height, list(page.bookmarks)) for page in document.pages]
        wanted = {
            target
            for page in document.pages
            for kind, target, _, _ in page.links
            if kind == "internal" and target not in anchors and target in elsewhere
        }
        if wanted and document.pages:
            for name in sorted(wanted):
                document.pages[0].anchors[name] = (0, 0, 0, 0)

    _numbering.current = numbering
    try:
        printed.pdf = pdf.print_printable(
            pdf.printable_html(html), laid_out=laid_out, finisher=own_header_ids if second else None
        )
    finally:
        _numbering.current = None
    return printed


def own_header_ids(document: Document, written: pydyf.PDF) -> None:
    """The second half's table header ids, and the cells' references to them, prefixed.

    WeasyPrint names a header cell after its table's object number in the
    PDF it writes; the two halves number their objects separately.
    """
    import pydyf

    renamed: dict[str, pydyf.String] = {}
    for item in written.objects:
        if isinstance(item, pydyf.Dictionary) and isinstance(item.get("ID"), pydyf.String):
            old = _text(item["ID"])
            item["ID"] = renamed[old] = pydyf.String(f"second-{old}")
    for item in written.objects:
        attributes = item.get("A") if isinstance(item, pydyf.Dictionary) else None
        if isinstance(attributes, pydyf.Dictionary) and "Headers" in attributes:
            attributes["Headers"] = pydyf.Array(
                renamed.get(_text(header), header) for header in attributes["Headers"]
            )


def _text(string: Any) -> str:
    value = string.string
    return value.decode() if isinstance(value, bytes) else str(value)


def linked_across(halves: Halves) -> tuple[set[str], set[str]]:
    """For each half, the anchors it links to that only the other half holds."""
    first_ids, second_ids = (
        set(ELEMENT_ID.findall(halves.first)),
        set(ELEMENT_ID.findall(halves.second)),
    )
    first_links = set(INTERNAL_LINK.findall(halves.first))
    second_links = set(INTERNAL_LINK.findall(halves.second))
    return (
        (first_links & second_ids) - first_ids,
        (second_links & first_ids) - second_ids,
    )


class Helper:
    """A process that prints halves, started once and kept.

    A plain subprocess of this Python on one end of a socket pair, not a
    `multiprocessing` one: that would import the caller's main module again
    in the helper, running whatever a script does at its top level.
    """

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(path for path in sys.path if path)
        # At a lower priority (nice 10): printing is background work, which
        # gives way to the web server's requests and the worker's other
        # tasks (a round closing as the worker starts, say, while the
        # helpers import), and takes the cores when they are idle.
        code = (
            f"import os, sys; os.nice({NICENESS}); "
            "from joinedup.reports.pdf_halves import serve_on; serve_on(int(sys.argv[1]))"
        )
        with theirs:
            # A session of its own: a Ctrl-C at the terminal reaches this
            # process, which stops the helper by closing the socket.
            self.process = subprocess.Popen(
                [sys.executable, "-c", code, str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                env=environment,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.connection = Connection(ours.detach())

    def alive(self) -> bool:
        return self.process.poll() is None

    def receive(self) -> Any:
        """The helper's next message; HalvesFailed if it dies or stays silent too long."""
        waited = 0.0
        while not self.connection.poll(LOOK_EVERY_SECONDS):
            waited += LOOK_EVERY_SECONDS
            if not self.alive() or waited >= PATIENCE_SECONDS:
                raise HalvesFailed("the PDF helper stopped answering")
        try:
            return self.connection.recv()
        except (EOFError, OSError) as error:
            raise HalvesFailed("the PDF helper went away") from error

    def stop(self) -> None:
        self.connection.close()
        if self.alive():
            self.process.kill()
        self.process.wait(5)


# Two kept helpers: the first prints first halves, the second second halves
# (each keeps the parsed stylesheet of its own kind of half).
_helpers: list[Helper] = []
_helper_lock = threading.Lock()


def _kept_helpers() -> list[Helper]:
    if len(_helpers) != 2 or not all(helper.alive() for helper in _helpers):
        stop_helpers()
        _helpers.extend(Helper() for _ in range(2))
    return _helpers


def start_helpers() -> None:
    """Start the helpers now, so that the first long report does not wait for them to start."""
    with _helper_lock:
        _kept_helpers()


@atexit.register
def stop_helpers() -> None:
    """Stop the helper processes, if there are any (new ones start when next needed)."""
    while _helpers:
        _helpers.pop().stop()


def print_in_halves(html: str, least_ms: float = LEAST_HALF_MS) -> bytes | None:
    """The report printed in two halves at once and joined, or None to print it whole.

    Each half is printed by a helper process, on its own core; this process
    passes page counts between them and joins the two PDFs. Each helper
    frees its half's objects after sending it, while this process joins.
    None when the report is short or cannot be cut, when another thread of
    this process is using the helpers, or when printing the halves failed
    (logged, and the helpers stopped).
    """
    halves = cut(html, least_ms)
    if halves is None or not install():
        return None
    if not _helper_lock.acquire(blocking=False):
        return None
    try:
        first, second = _kept_helpers()
        for_first, for_second = linked_across(halves)
        first.connection.send(("print", halves.first, sorted(for_first), False))
        second.connection.send(("print", halves.second, sorted(for_second), True))
        counts = first.receive(), second.receive()
        if not all(isinstance(count, int) for count in counts):
            raise HalvesFailed(f"a PDF helper failed: {counts}")
        first.connection.send(counts[1])
        second.connection.send(counts[0])
        replies = first.receive(), second.receive()
        for reply in replies:
            if reply[0] != "printed":
                raise HalvesFailed(f"a PDF helper failed: {reply[1]}")
        return pdf_join.join(replies[0][1], replies[1][1])
    except Exception:
        LOGGER.warning("Printing the PDF in halves failed; printing it whole", exc_info=True)
        stop_helpers()
        return None
    finally:
        _helper_lock.release()


def serve_on(descriptor: int) -> None:
    """The helper's entry point: serve on the socket it was given (`Helper`)."""
    serve(Connection(descriptor))


def serve(connection: Connection) -> None:
    """A helper's loop: print each half it is sent, until told to stop or left.

    WeasyPrint is imported and set up before the first half arrives.
    """
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    install()
    pdf.quicken_weasyprint()
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        _, html, elsewhere, second = message
        numbering = Numbering(second=second, send=connection.send, receive=connection.recv)
        # The garbage collector runs once the half is sent (`pdf.collected_once`).
        with pdf.collected_once():
            try:
                printed = print_half(html, numbering, second, set(elsewhere))
            except (EOFError, OSError):
                return
            except Exception as error:  # reported to the worker, which prints whole
                connection.send(("failed", repr(error)))
                continue
            connection.send(("printed", printed))

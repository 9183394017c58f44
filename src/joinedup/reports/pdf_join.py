"""Two halves of a report, each a tagged PDF, joined into the PDF the whole would have made.

`pdf_halves` prints the halves; this puts them together with pikepdf (qpdf),
which copies the second half's pages and everything they use. What each
half wrote for itself alone is rewritten for the whole:

- Structure tree: the second half's top-level elements (WeasyPrint starts
  them afresh on every page) go under the first half's document element,
  and its marked-content keys (a page's `StructParents`, an annotation's
  `StructParent`, the `ParentTree` numbers) move past the first half's.
- Named destinations: each name points where the half that holds the
  element put it; a stand-in anchor for a link across halves gives way.
- Outline: rebuilt from both halves' bookmarks, with WeasyPrint's own
  nesting of heading levels, as it builds it for a whole document.
"""

from __future__ import annotations

import io
import warnings
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pikepdf

    from .pdf_halves import Printed

# CSS pixels to PDF points: WeasyPrint writes at zoom 1.
SCALE = 0.75


def join(first: Printed, second: Printed) -> bytes:
    """One PDF of the first half's pages then the second's, tagged as one document."""
    import pikepdf

    whole = pikepdf.open(io.BytesIO(first.pdf))
    rest = pikepdf.open(io.BytesIO(second.pdf))
    tree = whole.Root.StructTreeRoot
    numbers = tree.ParentTree.Nums
    keys = [int(numbers[index]) for index in range(0, len(numbers), 2)]
    offset = max(keys, default=-1) + 1

    their_tree = rest.Root.StructTreeRoot
    for page in rest.pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", ()):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    their_elements = list(their_tree.K[0].K)
    for element in their_elements:
        # Copied without it: the first half's document element is their parent now.
        del element["/P"]
    with warnings.catch_warnings():
        # pikepdf warns that named destinations are not carried over with
        # the pages: `join_destinations` carries them.
        warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
        whole.pages.extend(rest.pages)
    carried = rest.make_indirect(
        pikepdf.Array(
            [pikepdf.Array(their_elements), their_tree.ParentTree.Nums, destination_names(rest)]
        )
    )
    elements, their_numbers, their_names = whole.copy_foreign(carried)

    document = tree.K[0]
    for element in elements:
        element.P = document
        document.K.append(element)
    for index in range(0, len(their_numbers), 2):
        numbers.append(int(their_numbers[index]) + offset)
        numbers.append(their_numbers[index + 1])

    join_destinations(whole, destination_names(whole), their_names, first, second)
    write_outline(whole, bookmark_tree(first.pages + second.pages))
    joined = io.BytesIO()
    whole.save(joined, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return joined.getvalue()


def destination_names(document: pikepdf.Pdf) -> pikepdf.Object:
    """A PDF's named destinations as WeasyPrint writes them: one flat, sorted array."""
    import pikepdf

    names = document.Root.get("/Names")
    destinations = names.get("/Dests") if names is not None else None
    if destinations is None:
        return pikepdf.Array()
    return destinations.Names


def join_destinations(
    whole: pikepdf.Pdf,
    ours: pikepdf.Object,
    theirs: pikepdf.Object,
    first: Printed,
    second: Printed,
) -> None:
    """The named destinations of both halves, each from the half holding its element."""
    import pikepdf

    kept: dict[str, Any] = {}
    for names, printed in ((ours, first), (theirs, second)):
        real = set(printed.anchors)
        for index in range(0, len(names), 2):
            name = str(names[index])
            if name in real and name not in kept:
                kept[name] = names[index + 1]
    if not kept:
        return
    flat = pikepdf.Array()
    for name in sorted(kept):
        flat.append(pikepdf.String(name))
        flat.append(kept[name])
    if "/Names" not in whole.Root:
        whole.Root.Names = pikepdf.Dictionary()
    whole.Root.Names.Dests = pikepdf.Dictionary(Names=flat)


def bookmark_tree(pages: list[tuple[float, list[Any]]]) -> list[Any]:
    """The outline's tree from every page's bookmarks, nested as WeasyPrint nests a document's."""
    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    root: list[Any] = []
    skipped: list[int] = []
    last_by_depth: list[list[Any]] = [root]
    previous = 0
    for number, (height, bookmarks) in enumerate(pages):
        page = SimpleNamespace(bookmarks=bookmarks)
        matrix = Matrix(a=SCALE, d=-SCALE, f=height * SCALE)
        previous = make_page_bookmark_tree(page, skipped, last_by_depth, previous, number, matrix)
    return root


def write_outline(whole: pikepdf.Pdf, tree: list[Any]) -> None:
    """The document's outline (bookmarks), in place of the first half's."""
    import pikepdf

    if "/Outlines" in whole.Root:
        del whole.Root["/Outlines"]
    if not tree:
        return
    outlines = whole.make_indirect(pikepdf.Dictionary())
    items, count = outline_items(whole, tree, outlines)
    outlines.Count = count
    outlines.First = items[0]
    outlines.Last = items[-1]
    whole.Root.Outlines = outlines


def outline_items(
    whole: pikepdf.Pdf, tree: list[Any], parent: pikepdf.Object
) -> tuple[list[pikepdf.Object], int]:
    """Outline items for one level of the tree, and how many show when it is open."""
    import pikepdf

    items: list[pikepdf.Object] = []
    count = len(tree)
    for label, (page_number, x, y), children, state in tree:
        item = whole.make_indirect(
            pikepdf.Dictionary(
                Title=pikepdf.String(label),
                Dest=pikepdf.Array([whole.pages[page_number].obj, pikepdf.Name.XYZ, x, y, 0]),
                Parent=parent,
            )
        )
        below, below_count = outline_items(whole, children, item)
        item.Count = -below_count if state == "closed" else below_count
        if state != "closed":
            count += below_count
        if below:
            item.First = below[0]
            item.Last = below[-1]
        if items:
            item.Prev = items[-1]
            items[-1].Next = item
        items.append(item)
    return items, count

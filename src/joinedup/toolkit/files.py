"""Making a tool's file, and keeping it per version of what it is made from.

A file is made once for each combination of the instrument and the code and
words it is made from, and kept in the cache under a key holding a hash of
them all: change the instrument file, a recommendation, a template or a
generator, and the next download is made afresh.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache

import joinedup
from joinedup.instrument import load_instrument

from .catalogue import FORMATS, Tool
from .document import to_docx, to_pdf

# Raise to remake every file without a change to the files below.
GENERATOR_VERSION = "1"
PACKAGE = Path(joinedup.__file__).parent
# Everything a toolkit file is made from, besides the instrument itself.
SOURCES: list[Path] = [
    PACKAGE / "analysis" / "recommendations.toml",
    PACKAGE / "analysis" / "vocabulary.py",
    PACKAGE / "analysis" / "scoring.py",
    PACKAGE / "analysis" / "interchange.py",
    PACKAGE / "actions" / "models.py",
    PACKAGE / "actions" / "forms.py",
    PACKAGE / "surveys" / "jinja2" / "surveys" / "survey" / "_privacy.html",
    *sorted((PACKAGE / "toolkit").glob("*.py")),
    *sorted((PACKAGE / "toolkit" / "templates" / "toolkit").glob("*.html")),
]


@dataclass(frozen=True)
class ToolFile:
    content: bytes
    content_type: str
    filename: str


def instrument_file(instrument_id: str) -> Path:
    return PACKAGE / "instrument" / f"{instrument_id}.toml"


def version_key(instrument_id: str) -> str:
    """The instrument's id and a hash of its file, the generator version and its sources."""
    digest = hashlib.sha256(GENERATOR_VERSION.encode("utf-8"))
    for path in (instrument_file(instrument_id), *SOURCES):
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return f"{instrument_id}:{digest.hexdigest()[:20]}"


def filename(tool: Tool, extension: str, instrument_id: str) -> str:
    return f"joinedup-{tool.slug}-{instrument_id}.{extension}"


def build(tool: Tool, extension: str) -> bytes:
    """Make the file afresh from the instrument."""
    instrument = load_instrument()
    if extension == "xlsx" and tool.workbook is not None:
        return tool.workbook(instrument)
    document = tool.document(instrument)
    if extension == "pdf":
        return to_pdf(document)
    if extension == "docx":
        return to_docx(document)
    raise ValueError(f"{tool.name} has no {extension} download")


def cached_download(tool: Tool, extension: str) -> tuple[ToolFile, bool]:
    """The tool's file from the cache, made first if this version has none; (file, made now)."""
    instrument = load_instrument()
    key = f"toolkit:{tool.slug}:{extension}:{version_key(instrument.id)}"
    content = cache.get(key)
    made = content is None
    if content is None:
        content = build(tool, extension)
        cache.set(key, content, timeout=None)
    return (
        ToolFile(
            content, FORMATS[extension].content_type, filename(tool, extension, instrument.id)
        ),
        made,
    )

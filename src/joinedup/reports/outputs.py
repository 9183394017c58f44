"""Writing a result's reports and exports to files, for the command line.

Every file is written to a temporary name beside its target and renamed
when complete, so a failure never leaves a half-written report.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import exports
from .report import ReportOptions, render_html, render_pdf


@dataclass(frozen=True)
class Targets:
    """Where to write each output; None for outputs not asked for."""

    html: Path | None = None
    pdf: Path | None = None
    xlsx: Path | None = None
    graphml: Path | None = None
    csv: Path | None = None  # a folder

    def requested(self) -> list[Path]:
        return [p for p in (self.html, self.pdf, self.xlsx, self.graphml, self.csv) if p]


def check_targets(targets: Targets) -> list[str]:
    """Problems with the targets (a missing folder), before any work is done."""
    problems = []
    for path in (targets.html, targets.pdf, targets.xlsx, targets.graphml):
        if path is not None and not (path.parent if str(path.parent) else Path(".")).is_dir():
            problems.append(f"cannot write {path}: the folder {path.parent} does not exist")
    if targets.csv is not None and targets.csv.exists() and not targets.csv.is_dir():
        problems.append(f"cannot write CSV files to {targets.csv}: it is a file, not a folder")
    return problems


def write_atomically(path: Path, produce: Callable[[io.BytesIO], object]) -> None:
    """Write what `produce` writes to a buffer, via a temporary file and a rename."""
    buffer = io.BytesIO()
    produce(buffer)
    folder = path.parent if str(path.parent) else Path(".")
    with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{path.name}.", delete=False) as handle:
        handle.write(buffer.getvalue())
        temporary = Path(handle.name)
    os.replace(temporary, path)


def write_outputs(
    result: dict[str, Any], targets: Targets, options: ReportOptions, step: Callable[[str], None]
) -> list[Path]:
    """Write every requested output; return the paths written."""
    written: list[Path] = []
    if targets.html:
        step("Writing the HTML report")
        html = render_html(result, options).encode("utf-8")
        write_atomically(targets.html, lambda b: b.write(html))
        written.append(targets.html)
    if targets.pdf:
        step("Writing the PDF report")
        pdf = render_pdf(result, options)
        write_atomically(targets.pdf, lambda b: b.write(pdf))
        written.append(targets.pdf)
    if targets.xlsx:
        step("Writing the Excel workbook")
        write_atomically(
            targets.xlsx, lambda b: exports.to_xlsx(result, b, options.sectors, options.partnership)
        )
        written.append(targets.xlsx)
    if targets.graphml:
        step("Writing the network (GraphML)")
        write_atomically(
            targets.graphml,
            lambda b: exports.to_graphml(result, b, options.sectors, options.partnership),
        )
        written.append(targets.graphml)
    if targets.csv:
        step("Writing CSV files")
        targets.csv.mkdir(parents=True, exist_ok=True)
        written += exports.to_csv(result, targets.csv, options.sectors, options.partnership)
    return written

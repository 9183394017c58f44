"""Retake the README's pictures of the report from the bundled example's PDF.

    PYTHONPATH=src .venv/bin/python docs/images/retake.py

Renders `examples/northshire` to PDF, finds the page that starts each
picture's section by its heading, and saves that page at 80 dpi (A4 at 662
by 936 pixels) as an 8-bit PNG. Needs poppler-utils (pdftotext, pdftoppm).
Run it again whenever the report's layout or wording changes.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from joinedup.analysis import analyse, read_files
from joinedup.reports.report import ReportOptions, render_pdf

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "northshire"
IMAGES = Path(__file__).resolve().parent
# Picture file -> a heading on the page it shows (the first page that has it).
PICTURES = {
    "report-summary.png": "Summary",
    "report-position-map.png": "Momentum, pull towards a breaking point and alignment",
    "report-scales.png": "The partnership's scores on the nine scales",
    "report-network.png": "Who works with whom",
}


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def main() -> None:
    dataset, _ = read_files(
        EXAMPLE / "responses.csv", EXAMPLE / "relationships.csv", EXAMPLE / "organisations.csv"
    )
    lines = (EXAMPLE / "organisations.csv").read_text("utf-8").splitlines()[1:]
    sectors = {line.split(",")[0]: line.split(",")[1] for line in lines}
    options = ReportOptions(partnership="Northshire Together", sectors=sectors)
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "report.pdf"
        pdf.write_bytes(render_pdf(analyse(dataset), options))
        pages = page_texts(pdf)
        for name, heading in PICTURES.items():
            number = next(i for i, text in enumerate(pages, 1) if heading in text)
            stem = Path(folder) / name.removesuffix(".png")
            subprocess.run(
                ["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(number), "-l",
                 str(number), str(pdf), str(stem)],
                check=True,
            )  # fmt: skip
            picture = Image.open(f"{stem}.png").convert("RGB").quantize(colors=256)
            picture.save(IMAGES / name, optimize=True)
            print(f"{name}: page {number}")


if __name__ == "__main__":
    main()

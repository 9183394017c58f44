"""Build the front-end assets from the npm packages (run by `make setup`).

Compiles GOV.UK Frontend's Sass with Joined Up's settings (system fonts, not
GOV.UK's typeface) and copies its JavaScript and images into static files.
Copies the report's typeface (Source Sans 3, from `@fontsource/source-sans-3`)
into `reports/fonts/`, where the HTML and PDF reports embed it.
Node is needed only here, at set-up; never at run time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import woff2

from joinedup.reports import typeface

SITE = Path(__file__).resolve().parent
ROOT = SITE.parents[2]


def build(root: Path = ROOT) -> None:
    package = root / "node_modules" / "govuk-frontend" / "dist" / "govuk"
    if not package.is_dir():
        sys.exit("govuk-frontend is not installed: run `npm ci` first")
    static = SITE / "static"
    target = static / "govuk"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shutil.copy2(package / "govuk-frontend.min.js", target / "govuk-frontend.min.js")
    shutil.copytree(package / "assets" / "images", target / "assets" / "images")
    shutil.copy2(package / "assets" / "manifest.json", target / "assets" / "manifest.json")
    sass = root / "node_modules" / ".bin" / "sass"
    subprocess.run(
        [
            str(sass),
            "--quiet",
            f"--load-path={root / 'node_modules'}",
            "--style=compressed",
            "--no-source-map",
            str(SITE / "scss" / "joinedup.scss"),
            str(static / "joinedup.css"),
        ],
        check=True,
    )
    copy_report_fonts(root)


def copy_report_fonts(root: Path = ROOT) -> None:
    """Copy the report's font files, their Unicode ranges and licence from npm."""
    package = root / "node_modules" / typeface.PACKAGE
    if not package.is_dir():
        sys.exit(f"{typeface.PACKAGE} is not installed: run `npm ci` first")
    target = typeface.FONTS
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in typeface.font_file_names():
        shutil.copy2(package / "files" / name, target / name)
        # WeasyPrint would decompress WOFF2 in pure Python on every PDF.
        woff2.decompress(str(target / name), str(target / typeface.truetype_name(name)))
    shutil.copy2(package / "unicode.json", target / "unicode.json")
    shutil.copy2(package / "LICENSE", target / "LICENSE")


if __name__ == "__main__":
    build()

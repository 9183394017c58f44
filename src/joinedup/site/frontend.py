"""Build the front-end assets from the npm packages (run by `make setup`).

Compiles GOV.UK Frontend's Sass with Joined Up's settings (system fonts, not
GOV.UK's typeface) and copies its JavaScript and images into static files.
Node is needed only here, at set-up; never at run time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

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


if __name__ == "__main__":
    build()

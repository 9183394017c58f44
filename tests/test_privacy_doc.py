"""docs/privacy.md backs each promise with a test named beside it: those tests exist.

A promise whose test was renamed or deleted would still read as backed. This
reads every `tests/...py::test_name` (or `tests/...py` alone) that the page
names and checks the file holds a test of that name, so the page cannot drift
from the suite.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRIVACY = ROOT / "docs" / "privacy.md"
REFERENCE = re.compile(r"(tests/[\w/]+\.py)(?:::([\w\[\]-]+))?")


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    }


def test_every_test_the_privacy_page_names_exists() -> None:
    text = PRIVACY.read_text("utf-8")
    references = REFERENCE.findall(text)
    assert len(references) >= 30, "the threat model names the tests that back it"
    missing = []
    for file_name, test_name in references:
        path = ROOT / file_name
        if not path.is_file():
            missing.append(file_name)
            continue
        if test_name and test_name.split("[")[0] not in _tests_in(path):
            missing.append(f"{file_name}::{test_name}")
    assert not missing, f"docs/privacy.md names tests that do not exist: {missing}"


def test_the_threat_model_names_each_insider() -> None:
    text = PRIVACY.read_text("utf-8").lower()
    for insider in ("partner lead", "facilitator", "database operator", "viewer"):
        assert insider in text

"""Modules that must not import each other, so that each can be read and changed alone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "joinedup"


def imported_modules(relative: str) -> set[str]:
    """Every joinedup module a source file imports, at any depth of the file."""
    path = SOURCE / relative
    package = "joinedup." + ".".join(Path(relative).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize(
    ("importer", "forbidden"),
    [
        ("actions/services.py", "joinedup.results.services"),
        ("analysis/trend.py", "joinedup.analysis.result"),
    ],
)
def test_a_module_does_not_import_the_module_that_imports_it(importer: str, forbidden: str):
    assert forbidden not in imported_modules(importer)


def test_the_other_side_of_each_pair_still_imports_it() -> None:
    # The check above means something only while the reverse import exists.
    assert "joinedup.analysis.trend" in imported_modules("analysis/result.py")
    assert "joinedup.actions.services" in imported_modules("results/services.py")
